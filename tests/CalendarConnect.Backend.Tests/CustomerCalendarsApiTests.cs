using CalendarConnect.Testing;
using System.Net;
using System.Text.Json;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <param name="empty">
/// A backend per engine with an empty database, shared by the tests that only read it or send what it must refuse.
/// </param>
public class CustomerCalendarsApiTests(ClassBackends empty) : IClassFixture<ClassBackends>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Connect_saves_the_company_asks_the_mcp_server_and_answers_the_spec_fields(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();

        var response = await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct);

        var json = await JsonAsync(response);
        Assert.Equal(["authorization_url", "calendar_connected", "customer_email", "customer_id", "customer_name", "shareable_link"], PropertyNames(json));
        Assert.Equal("empresa-abc-123", json.GetProperty("customer_id").GetString());
        Assert.Equal("contacto@empresa-abc.com", json.GetProperty("customer_email").GetString());
        Assert.Equal("Empresa ABC S.A.", json.GetProperty("customer_name").GetString());
        Assert.False(json.GetProperty("calendar_connected").GetBoolean());
        Assert.Equal(h.Mcp!.AuthorizationUrlFor("empresa-abc-123"), json.GetProperty("authorization_url").GetString());
        Assert.Equal(h.Mcp.ShareableLinkFor("empresa-abc-123"), json.GetProperty("shareable_link").GetString());
        // The body keeps the spec's six fields; the link's expiry travels in a header for the admin page.
        Assert.Equal("2031-05-17T12:30:00Z", Assert.Single(response.Headers.GetValues("Shareable-Link-Expires-At")));

        var row = Assert.Single(await h.RowsAsync());
        Assert.Equal(("empresa-abc-123", "contacto@empresa-abc.com", "Empresa ABC S.A."), (row.CustomerId, row.CustomerEmail, row.CustomerName));
        Assert.Equal(row.CreatedAt, row.UpdatedAt);

        var authorize = Assert.Single(h.Mcp.Requests, r => r.PathAndQuery == "/oauth/authorize");
        Assert.Equal("POST", authorize.Method);
        Assert.Equal("Bearer " + StandInMcpServer.ApiKey, authorize.Authorization);
        using var sent = JsonDocument.Parse(authorize.Body);
        Assert.Equal(["customer_email", "customer_id"], PropertyNames(sent.RootElement));
        Assert.Equal("empresa-abc-123", sent.RootElement.GetProperty("customer_id").GetString());
        Assert.Equal("contacto@empresa-abc.com", sent.RootElement.GetProperty("customer_email").GetString());
        var status = Assert.Single(h.Mcp.Requests, r => r.PathAndQuery == "/customers/empresa-abc-123/calendar-status");
        Assert.Equal("Bearer " + StandInMcpServer.ApiKey, status.Authorization);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Connecting_again_updates_the_same_company(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        var first = Assert.Single(await h.RowsAsync());
        await Task.Delay(20, Ct);

        var response = await client.PostAsync("v1/customer-calendars/connect",
            BackendHarness.ConnectBody(email: "nuevo@empresa-abc.com", name: "Empresa ABC Ltda."), Ct);

        var json = await JsonAsync(response);
        Assert.Equal("nuevo@empresa-abc.com", json.GetProperty("customer_email").GetString());
        var row = Assert.Single(await h.RowsAsync());
        Assert.Equal(("nuevo@empresa-abc.com", "Empresa ABC Ltda."), (row.CustomerEmail, row.CustomerName));
        Assert.Equal(first.CreatedAt, row.CreatedAt);
        Assert.True(string.CompareOrdinal(row.UpdatedAt, first.UpdatedAt) > 0);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Connect_reports_a_connected_calendar_live(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "contacto@empresa-abc.com");
        using var client = h.AdminClient();
        var json = await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct));
        Assert.True(json.GetProperty("calendar_connected").GetBoolean());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task List_and_get_show_the_live_status_from_the_mcp_server(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-a", "a@empresa-a.com", "Empresa A"), Ct)).EnsureSuccessStatusCode();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-b", "b@empresa-b.com", "Empresa B"), Ct)).EnsureSuccessStatusCode();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-c", "c@empresa-c.com", "Empresa C"), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.SetStatus("empresa-a", "connected", "A@Empresa-A.com"); // the same account, other case: no mismatch
        h.Mcp.SetStatus("empresa-c", "needs_reauthorization", "c@empresa-c.com");

        h.Mcp.Requests.Clear();
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));

        // One batch question for all three, none per company.
        var batch = Assert.Single(h.Mcp.Requests);
        Assert.Equal("GET", batch.Method);
        Assert.StartsWith("/customers/calendar-status?", batch.PathAndQuery);
        Assert.Equal(["empresa-a", "empresa-b", "empresa-c"], System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + batch.PathAndQuery).Query).GetValues("customer_id")!.Order());
        Assert.Equal("Bearer " + StandInMcpServer.ApiKey, batch.Authorization);
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        var byId = list.EnumerateArray().ToDictionary(e => e.GetProperty("customer_id").GetString()!);
        Assert.Equal(3, byId.Count);
        Assert.Equal(["account_attempt", "account_mismatch", "calendar_connected", "calendar_email", "customer_email", "customer_id", "customer_name", "status", "whatsapp_number"], PropertyNames(byId["empresa-a"]));
        Assert.False(byId["empresa-a"].GetProperty("account_mismatch").GetBoolean());
        Assert.Equal("connected", byId["empresa-a"].GetProperty("status").GetString());
        Assert.True(byId["empresa-a"].GetProperty("calendar_connected").GetBoolean());
        Assert.Equal("A@Empresa-A.com", byId["empresa-a"].GetProperty("calendar_email").GetString());
        Assert.Equal("Empresa A", byId["empresa-a"].GetProperty("customer_name").GetString());
        Assert.Equal("not_connected", byId["empresa-b"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, byId["empresa-b"].GetProperty("calendar_email").ValueKind);
        Assert.False(byId["empresa-b"].GetProperty("calendar_connected").GetBoolean());
        Assert.Equal("needs_reauthorization", byId["empresa-c"].GetProperty("status").GetString());
        Assert.False(byId["empresa-c"].GetProperty("calendar_connected").GetBoolean());

        var one = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-a", Ct));
        Assert.Equal(byId["empresa-a"].ToString(), one.ToString());

        h.Mcp.SetStatus("empresa-b", "connected", "b@empresa-b.com");
        var b = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-b", Ct));
        Assert.Equal("connected", b.GetProperty("status").GetString());
        Assert.True(b.GetProperty("calendar_connected").GetBoolean());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_empty_list_is_an_empty_array(string engine)
    {
        var h = await empty.ForAsync(engine);
        using var client = h.AdminClient();
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        Assert.Equal(0, list.GetArrayLength());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_unknown_id_is_a_404_problem(string engine)
    {
        var h = await empty.ForAsync(engine);
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.GetAsync("v1/customer-calendars/no-such-company", Ct), HttpStatusCode.NotFound);
        Assert.Contains("no-such-company", problem.GetProperty("detail").GetString());
    }

    public static readonly string[] OddIds =
    [
        "..%2F..%2Fetc%2Fpasswd",
        "%2E%2E",
        "-leading-dash",
        "con%20espacio",
        "%3Cscript%3E",
        "x'%20OR%20'1'='1",
        "%C3%B1and%C3%BA",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ];

    public static IEnumerable<object[]> OddIdsOnBothEngines =>
        from engine in new[] { Engines.Sqlite, Engines.PostgreSql } from id in OddIds select new object[] { engine, id };

    [Theory]
    [MemberData(nameof(OddIdsOnBothEngines))]
    public async Task Odd_ids_are_refused_or_not_found_never_an_error(string engine, string id)
    {
        var h = await empty.ForAsync(engine);
        using var client = h.AdminClient();
        var response = await client.GetAsync("v1/customer-calendars/" + id, Ct);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{id}: {(int)response.StatusCode}");
        await ProblemAsync(response, response.StatusCode);
        Assert.Empty(h.Mcp!.Requests);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Mcp_server_down_connect_is_a_502_problem_and_the_list_says_unknown(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine, mcpDown: true);
        using var client = h.AdminClient();

        var problem = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct), HttpStatusCode.BadGateway);
        Assert.Contains("MCP", problem.GetProperty("detail").GetString());
        Assert.Single(await h.RowsAsync()); // saved before asking, so a retry is all it takes

        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal("unknown", item.GetProperty("status").GetString());
        Assert.False(item.GetProperty("calendar_connected").GetBoolean());
        var one = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-abc-123", Ct));
        Assert.Equal("unknown", one.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Mcp_server_errors_connect_is_a_502_problem_and_the_list_says_unknown(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.FailWith = 500;

        var problem = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct), HttpStatusCode.BadGateway);
        Assert.DoesNotContain("boom", problem.ToString());
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        Assert.Equal("unknown", Assert.Single(list.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_wrong_mcp_key_is_a_502_problem()
    {
        var folder = BackendHarness.NewTempFolder();
        await using var mcp = await StandInMcpServer.StartAsync();
        var settings = BackendHarness.Settings(Path.Combine(folder, "c.db"), mcp.BaseAddress.ToString());
        settings["MCP_API_KEY"] = "wrong-key";
        await using var server = await CalendarConnect.Testing.LoopbackServer.StartAsync(Program.BuildApp, settings);
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct), HttpStatusCode.BadGateway);
        Assert.All(mcp.Requests, r => Assert.Equal("Bearer wrong-key", r.Authorization));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Healthz_answers_without_sign_in(string engine)
    {
        var h = await empty.ForAsync(engine);
        using var client = h.Server.CreateClient();
        var json = await JsonAsync(await client.GetAsync("healthz", Ct));
        Assert.Equal("ok", json.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Unknown_routes_and_methods_are_problems(string engine)
    {
        var h = await empty.ForAsync(engine);
        using var client = h.AdminClient();
        await ProblemAsync(await client.GetAsync("v1/nothing-here", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await client.PutAsync("v1/customer-calendars/connect", BackendHarness.Json("{}"), Ct), HttpStatusCode.MethodNotAllowed);
        await ProblemAsync(await client.PutAsync("v1/customer-calendars/empresa-abc-123", BackendHarness.Json("{}"), Ct), HttpStatusCode.MethodNotAllowed);
    }
}
