using System.Net;
using System.Text;
using System.Text.Json;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>GET|PUT /v1/customer-calendars/{id}/booking-settings through the backend to the (stand-in) MCP server.</summary>
public class BookingSettingsApiTests(BookingSettingsApiTests.CompanyA companyA) : IClassFixture<BookingSettingsApiTests.CompanyA>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Path = "v1/customer-calendars/empresa-a/booking-settings";

    private const string MondayMorning = """
        {"time_zone":"America/Argentina/Buenos_Aires","weekly_hours":{"mon":[["10:00","14:00"]],"tue":[]},"slot_minutes":30,
         "buffer_before_minutes":5,"buffer_after_minutes":10,"min_notice_minutes":120,"horizon_days":30,"calendar_ids":["primary","equipo@group.calendar.google.com"]}
        """;

    private static readonly string[] AllFields =
        ["allow_off_grid_starts", "buffer_after_minutes", "buffer_before_minutes", "calendar_ids", "horizon_days", "min_notice_minutes", "slot_minutes",
            "time_zone", "weekly_hours"];

    private static async Task<BackendHarness> WithCompanyAsync(string engine = Engines.Sqlite, bool mcpDown = false)
    {
        var h = await BackendHarness.StartAsync(engine, mcpDown);
        await ConnectCompanyAAsync(h, mcpDown);
        return h;
    }

    private static async Task ConnectCompanyAAsync(BackendHarness h, bool mcpDown = false)
    {
        using var client = h.AdminClient();
        var connect = await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-a", "contacto@empresa-a.com", "Empresa A"), Ct);
        if (!mcpDown) connect.EnsureSuccessStatusCode(); // with the MCP server down the company is saved all the same (502)
        h.Mcp?.Requests.Clear();
    }

    /// <summary>
    /// empresa-a in one backend per engine for the tests whose settings are refused (by the backend, or by the MCP
    /// server without storing them) or that only read; a test that stores settings starts its own.
    /// </summary>
    public sealed class CompanyA : ClassBackends
    {
        protected override Task SeedAsync(BackendHarness harness) => ConnectCompanyAAsync(harness);
    }

    private static HttpRequestMessage Put(string path, string json) =>
        new(HttpMethod.Put, path) { Content = BackendHarness.Json(json) };

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Get_answers_the_defaults_then_put_replaces_the_whole_object(string engine)
    {
        await using var h = await WithCompanyAsync(engine);
        using var client = h.AdminClient();

        var defaults = await JsonAsync(await client.GetAsync(Path, Ct));
        Assert.Equal(AllFields, PropertyNames(defaults));
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("time_zone").ValueKind);
        Assert.Equal("""[["09:00","18:00"]]""", defaults.GetProperty("weekly_hours").GetProperty("mon").GetRawText());
        Assert.Equal(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], defaults.GetProperty("weekly_hours").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(60, defaults.GetProperty("slot_minutes").GetInt32());
        Assert.Equal("""["primary"]""", defaults.GetProperty("calendar_ids").GetRawText());
        Assert.False(defaults.GetProperty("allow_off_grid_starts").GetBoolean());
        var asked = Assert.Single(h.Mcp!.Requests);
        Assert.Equal(("GET", "/customers/empresa-a/booking-settings", "Bearer " + StandInMcpServer.ApiKey), (asked.Method, asked.PathAndQuery, asked.Authorization));

        var saved = await JsonAsync(await client.SendAsync(Put(Path, MondayMorning), Ct));
        Assert.Equal(AllFields, PropertyNames(saved));
        Assert.Equal("America/Argentina/Buenos_Aires", saved.GetProperty("time_zone").GetString());
        Assert.Equal(30, saved.GetProperty("slot_minutes").GetInt32());
        // The body reached the MCP server as sent.
        var sent = h.Mcp.Requests.Last();
        Assert.Equal(("PUT", "/customers/empresa-a/booking-settings"), (sent.Method, sent.PathAndQuery));
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(MondayMorning).RootElement, JsonDocument.Parse(sent.Body).RootElement));

        var again = await JsonAsync(await client.GetAsync(Path, Ct));
        Assert.Equal("""[["10:00","14:00"]]""", again.GetProperty("weekly_hours").GetProperty("mon").GetRawText());
        Assert.Equal(120, again.GetProperty("min_notice_minutes").GetInt32());

        // A PUT replaces the whole object: what is left out is the default again.
        var replaced = await JsonAsync(await client.SendAsync(Put(Path, """{"slot_minutes":45}"""), Ct));
        Assert.Equal(45, replaced.GetProperty("slot_minutes").GetInt32());
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("time_zone").ValueKind);
        Assert.Equal("""[["09:00","18:00"]]""", replaced.GetProperty("weekly_hours").GetProperty("mon").GetRawText());

        var anyStart = await JsonAsync(await client.SendAsync(Put(Path, """{"allow_off_grid_starts":true}"""), Ct));
        Assert.True(anyStart.GetProperty("allow_off_grid_starts").GetBoolean());
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { """{"weekly_hours":{"mon":[["14:00","10:00"]]}}""", "weekly_hours.mon", "termina antes de empezar" },
        { """{"weekly_hours":{"mon":[["09:00","13:00"],["12:00","15:00"]]}}""", "weekly_hours.mon", "se superponen" },
        { """{"weekly_hours":{"mon":[["9:00","13:00"]]}}""", "weekly_hours.mon", "HH:mm" },
        { """{"weekly_hours":{"mon":[["09:00","24:01"]]}}""", "weekly_hours.mon", "HH:mm" },
        { """{"weekly_hours":{"lunes":[]}}""", "weekly_hours.lunes", "Día desconocido" },
        { """{"weekly_hours":[]}""", "weekly_hours", "Debe ser un objeto" },
        { """{"time_zone":"Mars/Olympus"}""", "time_zone", "no es una zona horaria IANA" },
        { """{"time_zone":""}""", "time_zone", "zona horaria IANA" },
        { """{"slot_minutes":0}""", "slot_minutes", "de 5 a 1440" },
        { """{"slot_minutes":"60"}""", "slot_minutes", "número entero" },
        { """{"slot_minutes":30.5}""", "slot_minutes", "número entero" },
        { """{"buffer_before_minutes":-1}""", "buffer_before_minutes", "de 0 a 720" },
        { """{"buffer_after_minutes":721}""", "buffer_after_minutes", "de 0 a 720" },
        { """{"min_notice_minutes":99999999999}""", "min_notice_minutes", "número entero" },
        { """{"horizon_days":366}""", "horizon_days", "de 1 a 365" },
        { """{"calendar_ids":[]}""", "calendar_ids", "de 1 a 10" },
        { """{"calendar_ids":["primary","primary"]}""", "calendar_ids", "aparece dos veces" },
        { """{"calendar_ids":"primary"}""", "calendar_ids", "lista" },
        { """{"calendar_ids":["a\u0000b"]}""", "calendar_ids", "texto no vacío" },
        { """{"slot_minutes":30,"slot_minutes":30}""", "slot_minutes", "más de una vez" },
        { """{"color":"azul"}""", "color", "Campo desconocido" },
        { """{"allow_off_grid_starts":"sí"}""", "allow_off_grid_starts", "true" },
        { """[]""", "body", "objeto JSON" },
        { """null""", "body", "objeto JSON" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Invalid_settings_get_per_field_spanish_errors_and_never_reach_the_mcp_server(string json, string field, string message)
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.SendAsync(Put(Path, json), Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Datos inválidos", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Contains(message, string.Join(" ", errors.GetProperty(field).EnumerateArray().Select(e => e.GetString())));
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task Every_mistake_is_reported_at_once()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.SendAsync(Put(Path,
            """{"weekly_hours":{"mon":[["18:00","09:00"]],"fri":[["x","y"]]},"slot_minutes":1,"horizon_days":0,"time_zone":"Nowhere/City"}"""), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(["horizon_days", "slot_minutes", "time_zone", "weekly_hours.fri", "weekly_hours.mon"], PropertyNames(problem.GetProperty("errors")));
    }

    [Fact]
    public async Task The_mcp_servers_own_400_passes_through_with_its_field_errors()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.SendAsync(Put(Path, """{"calendar_ids":["primary","unreadable@group.calendar.google.com"]}"""), Ct),
            HttpStatusCode.BadRequest);
        Assert.Equal("Configuración rechazada", problem.GetProperty("title").GetString());
        Assert.Contains("servidor de calendarios", problem.GetProperty("detail").GetString());
        Assert.Equal(["calendar_ids"], PropertyNames(problem.GetProperty("errors")));
        Assert.Equal("The connected account cannot read calendar 'unreadable@group.calendar.google.com'.",
            problem.GetProperty("errors").GetProperty("calendar_ids")[0].GetString());
        Assert.Null(h.Mcp!.BookingSettingsOf("empresa-a"));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_unknown_company_is_404_and_the_mcp_server_is_not_asked(string engine)
    {
        var h = await companyA.ForAsync(engine);
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.GetAsync("v1/customer-calendars/nadie/booking-settings", Ct), HttpStatusCode.NotFound);
        Assert.Contains("nadie", problem.GetProperty("detail").GetString());
        await ProblemAsync(await client.SendAsync(Put("v1/customer-calendars/nadie/booking-settings", """{"slot_minutes":30}"""), Ct), HttpStatusCode.NotFound);
        Assert.Empty(h.Mcp!.Requests);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Mcp_server_down_is_a_502_problem(string engine)
    {
        await using var h = await WithCompanyAsync(engine, mcpDown: true);
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.GetAsync(Path, Ct), HttpStatusCode.BadGateway);
        Assert.Contains("MCP", problem.GetProperty("detail").GetString());
        await ProblemAsync(await client.SendAsync(Put(Path, MondayMorning), Ct), HttpStatusCode.BadGateway);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(401)]
    [InlineData(404)]
    public async Task An_mcp_server_error_is_a_502_problem_without_its_body(int status)
    {
        var h = await companyA.ForAsync();
        h.Mcp!.FailWith = status;
        using var client = h.AdminClient();
        foreach (var response in new[] { await client.GetAsync(Path, Ct), await client.SendAsync(Put(Path, MondayMorning), Ct) })
        {
            var problem = await ProblemAsync(response, HttpStatusCode.BadGateway);
            Assert.DoesNotContain("boom", problem.ToString());
        }
    }

    [Fact]
    public async Task Oversized_malformed_and_mistyped_bodies_are_problems()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();

        var huge = """{"calendar_ids":[""" + string.Join(",", Enumerable.Repeat("\"primary\"", 5000)) + "]}";
        await ProblemAsync(await client.SendAsync(Put(Path, huge), Ct), HttpStatusCode.RequestEntityTooLarge);
        var malformed = await ProblemAsync(await client.SendAsync(Put(Path, """{"slot_minutes": 30,"""), Ct), HttpStatusCode.BadRequest);
        Assert.Equal("JSON inválido", malformed.GetProperty("title").GetString());
        var deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));
        await ProblemAsync(await client.SendAsync(Put(Path, """{"weekly_hours":""" + deep + "}"), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.SendAsync(Put(Path, ""), Ct), HttpStatusCode.BadRequest);
        using (var text = new HttpRequestMessage(HttpMethod.Put, Path) { Content = new StringContent("""{"slot_minutes":30}""", Encoding.UTF8, "text/plain") })
            await ProblemAsync(await client.SendAsync(text, Ct), HttpStatusCode.UnsupportedMediaType);

        // Many unknown fields: at most ten are named, each name cut short.
        var many = "{" + string.Join(",", Enumerable.Range(0, 50).Select(i => $"\"{i}{new string('x', 100)}\":1")) + "}";
        var problem = await ProblemAsync(await client.SendAsync(Put(Path, many), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(10, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.All(problem.GetProperty("errors").EnumerateObject(), e => Assert.True(e.Name.Length <= 65));
        Assert.Empty(h.Mcp!.Requests);
    }

    public static IEnumerable<object[]> OddIds => CustomerCalendarsApiTests.OddIds.Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(OddIds))]
    public async Task Odd_ids_are_refused_or_not_found_and_never_reach_the_mcp_server(string id)
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        foreach (var response in new[]
                 {
                     await client.GetAsync($"v1/customer-calendars/{id}/booking-settings", Ct),
                     await client.SendAsync(Put($"v1/customer-calendars/{id}/booking-settings", """{"slot_minutes":30}"""), Ct),
                 })
        {
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{id}: {(int)response.StatusCode}");
            await ProblemAsync(response, response.StatusCode);
        }
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task Without_sign_in_it_is_401_and_a_cookie_caller_needs_the_antiforgery_header()
    {
        await using var h = await WithCompanyAsync();
        using (var anonymous = h.Server.CreateClient())
        {
            await ProblemAsync(await anonymous.GetAsync(Path, Ct), HttpStatusCode.Unauthorized);
            await ProblemAsync(await anonymous.SendAsync(Put(Path, MondayMorning), Ct), HttpStatusCode.Unauthorized);
        }
        using (var wrong = h.Server.CreateClient())
        {
            wrong.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, "wrong password");
            await ProblemAsync(await wrong.GetAsync(Path, Ct), HttpStatusCode.Unauthorized);
        }
        Assert.Empty(h.Mcp!.Requests);

        using var client = h.Server.CreateClient();
        await BackendHarness.SignInAsync(client);
        await JsonAsync(await client.GetAsync(Path, Ct)); // reading needs no header
        h.Mcp.Requests.Clear();
        await ProblemAsync(await client.SendAsync(Put(Path, MondayMorning), Ct), HttpStatusCode.BadRequest);
        using (var forged = Put(Path, MondayMorning))
        {
            forged.Headers.Add("X-CSRF-TOKEN", "forged");
            await ProblemAsync(await client.SendAsync(forged, Ct), HttpStatusCode.BadRequest);
        }
        Assert.Empty(h.Mcp.Requests);

        var token = SignInTests.MetaToken(await client.GetStringAsync("clientes", Ct));
        using var request = Put(Path, MondayMorning);
        request.Headers.Add("X-CSRF-TOKEN", token);
        await JsonAsync(await client.SendAsync(request, Ct));
        Assert.NotNull(h.Mcp.BookingSettingsOf("empresa-a"));
    }
}
