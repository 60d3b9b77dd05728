using System.Net;
using System.Text.Json;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// PUT …/booking-settings as a request record bound by the framework: the ways a body can be wrong that the binding
/// answers (null, values of the wrong kind, duplicates, too big), each a problem naming the field, and what reaches the
/// MCP server.
/// </summary>
public class BookingSettingsRequestBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Path = "v1/customer-calendars/empresa-a/booking-settings";

    private static async Task<BackendHarness> WithCompanyAsync()
    {
        var h = await BackendHarness.StartAsync();
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-a", "contacto@empresa-a.com", "Empresa A"), Ct))
            .EnsureSuccessStatusCode();
        h.Mcp!.Requests.Clear();
        return h;
    }

    private static HttpRequestMessage Put(string json) => new(HttpMethod.Put, Path) { Content = BackendHarness.Json(json) };

    public static TheoryData<string, string, string> RefusedByTheBinding => new()
    {
        { """{"slot_minutes":null}""", "slot_minutes", "de 5 a 1440" },
        { """{"horizon_days":1e3}""", "horizon_days", "de 1 a 365" },
        { """{"min_notice_minutes":true}""", "min_notice_minutes", "número entero" },
        { """{"buffer_after_minutes":[5]}""", "buffer_after_minutes", "de 0 a 720" },
        { """{"allow_off_grid_starts":null}""", "allow_off_grid_starts", "true" },
        { """{"allow_off_grid_starts":1}""", "allow_off_grid_starts", "true" },
        { """{"time_zone":3}""", "time_zone", "zona horaria IANA" },
        { """{"weekly_hours":{"mon":[],"mon":[]}}""", "weekly_hours", "más de una vez" },
        { """{"weekly_hours":null}""", "weekly_hours", "Debe ser un objeto" },
        { """{"calendar_ids":null}""", "calendar_ids", "lista" },
        { """{"calendar_ids":[1]}""", "calendar_ids", "texto no vacío" },
        { """{"weekly_hours":{},"weekly_hours":{}}""", "weekly_hours", "más de una vez" },
        { "1", "body", "objeto JSON" },
    };

    [Theory]
    [MemberData(nameof(RefusedByTheBinding))]
    public async Task A_body_the_binding_refuses_is_a_problem_naming_the_field_and_never_reaches_the_mcp_server(string json, string field, string message)
    {
        await using var h = await WithCompanyAsync();
        using var client = h.AdminClient();
        using var request = Put(json);
        var problem = await ProblemAsync(await client.SendAsync(request, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Datos inválidos", problem.GetProperty("title").GetString());
        Assert.Contains(message, string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString())));
        Assert.DoesNotContain("System.", problem.ToString());
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task An_empty_body_and_a_body_past_the_limit_are_problems()
    {
        await using var h = await WithCompanyAsync();
        using var client = h.AdminClient();
        using (var empty = Put(""))
        {
            var problem = await ProblemAsync(await client.SendAsync(empty, Ct), HttpStatusCode.BadRequest);
            Assert.Equal("Cuerpo vacío", problem.GetProperty("title").GetString());
        }
        // Announced with "Expect: 100-continue", as clients send a large body: the 413 comes before the body is sent.
        using (var huge = Put("""{"time_zone":" """ + new string('x', 20_000) + "\"}"))
        {
            huge.Headers.ExpectContinue = true;
            var problem = await ProblemAsync(await client.SendAsync(huge, Ct), HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("Cuerpo demasiado grande", problem.GetProperty("title").GetString());
        }
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task The_mcp_server_gets_the_fields_given_and_nothing_for_those_left_out()
    {
        await using var h = await WithCompanyAsync();
        using var client = h.AdminClient();
        using var request = Put("""{"slot_minutes":45,"allow_off_grid_starts":false,"weekly_hours":{"sat":[]}}""");
        await JsonAsync(await client.SendAsync(request, Ct));
        var sent = Assert.Single(h.Mcp!.Requests);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse("""{"slot_minutes":45,"allow_off_grid_starts":false,"weekly_hours":{"sat":[]}}""").RootElement,
            JsonDocument.Parse(sent.Body).RootElement), sent.Body);
    }
}
