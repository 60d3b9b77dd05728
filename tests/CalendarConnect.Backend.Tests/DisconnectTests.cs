using System.Net;
using System.Text.Json;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>DELETE /v1/customer-calendars/{id}, the batch status behind the list, and account_mismatch.</summary>
/// <param name="empty">
/// A backend per engine with an empty database, shared by the tests of disconnections it must refuse.
/// </param>
public class DisconnectTests(ClassBackends empty) : IClassFixture<ClassBackends>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Disconnect_asks_the_mcp_server_keeps_the_company_and_answers_the_view(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "agenda@empresa-abc.com");
        h.Mcp.Requests.Clear();

        var json = await JsonAsync(await client.DeleteAsync("v1/customer-calendars/empresa-abc-123", Ct));

        Assert.Equal(["account_attempt", "account_mismatch", "calendar_connected", "calendar_email", "customer_email", "customer_id", "customer_name",
            "grant_may_still_be_active", "revocation_retrying", "status", "whatsapp_number"], PropertyNames(json));
        Assert.False(json.GetProperty("grant_may_still_be_active").GetBoolean());
        Assert.False(json.GetProperty("revocation_retrying").GetBoolean());
        Assert.Equal("empresa-abc-123", json.GetProperty("customer_id").GetString());
        Assert.Equal("Empresa ABC S.A.", json.GetProperty("customer_name").GetString());
        Assert.Equal("not_connected", json.GetProperty("status").GetString());
        Assert.False(json.GetProperty("calendar_connected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("calendar_email").ValueKind);
        var delete = Assert.Single(h.Mcp.Requests);
        Assert.Equal(("DELETE", "/customers/empresa-abc-123/calendar"), (delete.Method, delete.PathAndQuery));
        Assert.Equal("Bearer " + StandInMcpServer.ApiKey, delete.Authorization);
        Assert.Equal("not_connected", h.Mcp.StatusOf("empresa-abc-123"));

        Assert.Single(await h.RowsAsync()); // the company stays in customer_memory
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        Assert.Equal("not_connected", Assert.Single(list.EnumerateArray()).GetProperty("status").GetString());

        // Disconnecting again is harmless; connecting again works.
        await JsonAsync(await client.DeleteAsync("v1/customer-calendars/empresa-abc-123", Ct));
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Disconnect_says_when_the_grant_may_still_be_active_at_google()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "contacto@empresa-abc.com");
        h.Mcp.RevocationFails = true;

        var json = await JsonAsync(await client.DeleteAsync("v1/customer-calendars/empresa-abc-123", Ct));

        Assert.Equal("not_connected", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("grant_may_still_be_active").GetBoolean());
        Assert.True(json.GetProperty("revocation_retrying").GetBoolean());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Disconnect_of_an_unknown_company_is_a_404_and_the_mcp_server_is_not_asked(string engine)
    {
        var h = await empty.ForAsync(engine);
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.DeleteAsync("v1/customer-calendars/nadie", Ct), HttpStatusCode.NotFound);
        Assert.Contains("nadie", problem.GetProperty("detail").GetString());
        Assert.Empty(h.Mcp!.Requests);
    }

    public static IEnumerable<object[]> HostileIds => CustomerCalendarsApiTests.OddIds.Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task Disconnect_with_a_hostile_id_is_refused(string id)
    {
        var h = await empty.ForAsync();
        using var client = h.AdminClient();
        var response = await client.DeleteAsync("v1/customer-calendars/" + id, Ct);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{id}: {(int)response.StatusCode}");
        await ProblemAsync(response, response.StatusCode);
        Assert.Empty(h.Mcp!.Requests);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Disconnect_with_the_mcp_server_failing_is_a_502_problem(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.FailWith = 500;
        var problem = await ProblemAsync(await client.DeleteAsync("v1/customer-calendars/empresa-abc-123", Ct), HttpStatusCode.BadGateway);
        Assert.DoesNotContain("boom", problem.ToString());
        Assert.Single(await h.RowsAsync());
    }

    [Fact]
    public async Task Disconnect_with_the_cookie_needs_the_antiforgery_header()
    {
        await using var h = await BackendHarness.StartAsync();
        using (var basic = h.AdminClient())
            (await basic.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.Requests.Clear();
        using var client = h.Server.CreateClient();
        await BackendHarness.SignInAsync(client);

        await ProblemAsync(await client.DeleteAsync("v1/customer-calendars/empresa-abc-123", Ct), HttpStatusCode.BadRequest);
        using (var forged = new HttpRequestMessage(HttpMethod.Delete, "v1/customer-calendars/empresa-abc-123"))
        {
            forged.Headers.Add("X-CSRF-TOKEN", "forged");
            await ProblemAsync(await client.SendAsync(forged, Ct), HttpStatusCode.BadRequest);
        }
        Assert.Empty(h.Mcp.Requests);

        var token = SignInTests.MetaToken(await client.GetStringAsync("clientes", Ct));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "v1/customer-calendars/empresa-abc-123");
        request.Headers.Add("X-CSRF-TOKEN", token);
        await JsonAsync(await client.SendAsync(request, Ct));

        using var anonymous = h.Server.CreateClient();
        await ProblemAsync(await anonymous.DeleteAsync("v1/customer-calendars/empresa-abc-123", Ct), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_list_asks_about_its_page_only_in_batches_of_100(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        for (var i = 0; i < 250; i++) await memory.UpsertAsync($"empresa-{i:000}", $"c{i}@empresa.com", $"Empresa {i}", Ct);
        h.Mcp!.SetStatus("empresa-007", "connected", "c7@empresa.com");
        h.Mcp.SetStatus("empresa-234", "needs_reauthorization", "c234@empresa.com");
        using var client = h.AdminClient();

        // A status filter reads the statuses the feed reported: only the page's 200 companies are asked about, in
        // batches of 100, however many companies match.
        var response = await client.GetAsync("v1/customer-calendars?status=not_connected&page_size=200", Ct);
        var list = await JsonAsync(response);

        Assert.Equal(200, list.GetArrayLength());
        Assert.Equal("248", Assert.Single(response.Headers.GetValues("X-Total-Count")));
        Assert.All(list.EnumerateArray(), v => Assert.Equal("not_connected", v.GetProperty("status").GetString()));
        var batches = h.Mcp.Requests.ToList();
        Assert.All(batches, r => Assert.StartsWith("/customers/calendar-status?", r.PathAndQuery));
        var sizes = batches.Select(r => r.PathAndQuery.Split("customer_id=").Length - 1).Order().ToArray();
        Assert.Equal([100, 100], sizes);
        Assert.Contains(h.Mcp.FeedRequests, r => r.PathAndQuery.StartsWith("/customers/calendar-status/changes?", StringComparison.Ordinal));

        // Without a filter only the page's companies are asked about.
        h.Mcp.Requests.Clear();
        var page = await JsonAsync(await client.GetAsync("v1/customer-calendars?page=2&page_size=200", Ct));
        Assert.Equal(50, page.GetArrayLength());
        var byId = page.EnumerateArray().ToDictionary(e => e.GetProperty("customer_id").GetString()!);
        Assert.Equal("connected", byId["empresa-007"].GetProperty("status").GetString());
        Assert.Equal([50], h.Mcp.Requests.Select(r => r.PathAndQuery.Split("customer_id=").Length - 1).ToArray());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Account_mismatch_is_shown_in_list_and_get(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "otra.persona@gmail.com", accountMismatch: true);

        var one = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-abc-123", Ct));
        Assert.True(one.GetProperty("account_mismatch").GetBoolean());
        Assert.Equal("otra.persona@gmail.com", one.GetProperty("calendar_email").GetString());
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        Assert.True(Assert.Single(list.EnumerateArray()).GetProperty("account_mismatch").GetBoolean());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Account_mismatch_follows_a_patched_customer_email(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        // The MCP server compared with the email it got at connect time, and keeps saying so after a PATCH.
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "Agenda@Empresa-ABC.com", accountMismatch: true);

        var patched = await JsonAsync(await client.PatchAsync("v1/customer-calendars/empresa-abc-123",
            BackendHarness.Json("""{"customer_email":"agenda@empresa-abc.com"}"""), Ct));
        Assert.False(patched.GetProperty("account_mismatch").GetBoolean());
        Assert.False((await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-abc-123", Ct))).GetProperty("account_mismatch").GetBoolean());
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        Assert.False(Assert.Single(list.EnumerateArray()).GetProperty("account_mismatch").GetBoolean());

        h.Mcp.SetStatus("empresa-abc-123", "connected", "Agenda@Empresa-ABC.com", accountMismatch: false);
        patched = await JsonAsync(await client.PatchAsync("v1/customer-calendars/empresa-abc-123",
            BackendHarness.Json("""{"customer_email":"turnos@empresa-abc.com"}"""), Ct));
        Assert.True(patched.GetProperty("account_mismatch").GetBoolean());
        list = await JsonAsync(await client.GetAsync("v1/customer-calendars?status=connected", Ct));
        Assert.True(Assert.Single(list.EnumerateArray()).GetProperty("account_mismatch").GetBoolean());

        // No calendar account named (not connected): the MCP server's flag is all there is.
        h.Mcp.SetStatus("empresa-abc-123", "not_connected", null, accountMismatch: false);
        Assert.False((await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-abc-123", Ct))).GetProperty("account_mismatch").GetBoolean());
    }
}
