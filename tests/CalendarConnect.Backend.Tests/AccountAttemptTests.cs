using System.Net;
using System.Text.Json;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Issue 11, item 1: a consent with another Google account than the company's email is shown as the company's
/// account_attempt, and the admin accepts it with one deliberate call, which updates the company's email.
/// </summary>
public class AccountAttemptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset AttemptedAt = new(2026, 3, 2, 14, 5, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_attempt_is_listed_and_accepting_it_updates_the_expected_email_and_gives_a_link_for_it(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.SetAccountAttempt("empresa-abc-123", "Agenda@Empresa-ABC.com", "contacto@empresa-abc.com", AttemptedAt);

        var listed = (await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct)))[0];
        var attempt = listed.GetProperty("account_attempt");
        Assert.Equal("Agenda@Empresa-ABC.com", attempt.GetProperty("account_email").GetString());
        Assert.Equal(AttemptedAt, attempt.GetProperty("attempted_at").GetDateTimeOffset());
        Assert.Equal("not_connected", listed.GetProperty("status").GetString());
        var one = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-abc-123", Ct));
        Assert.Equal("Agenda@Empresa-ABC.com", one.GetProperty("account_attempt").GetProperty("account_email").GetString());

        var response = await client.PostAsync("v1/customer-calendars/empresa-abc-123/account-attempt/accept",
            BackendHarness.Json("""{"account_email": "agenda@empresa-abc.com"}"""), Ct);

        var json = await JsonAsync(response);
        Assert.Equal("Agenda@Empresa-ABC.com", json.GetProperty("customer_email").GetString());
        Assert.Equal(h.Mcp.ShareableLinkFor("empresa-abc-123"), json.GetProperty("shareable_link").GetString());
        Assert.Equal("2031-05-17T12:30:00Z", Assert.Single(response.Headers.GetValues("Shareable-Link-Expires-At")));
        Assert.Equal("Agenda@Empresa-ABC.com", Assert.Single(await h.RowsAsync()).CustomerEmail);
        Assert.False(h.Mcp.HasAccountAttempt("empresa-abc-123"));
        // The MCP server was told which account, then asked for a link that expects it.
        var accept = Assert.Single(h.Mcp.Requests, r => r.PathAndQuery == "/customers/empresa-abc-123/account-attempt/accept");
        Assert.Equal("agenda@empresa-abc.com", JsonDocument.Parse(accept.Body).RootElement.GetProperty("account_email").GetString());
        var authorize = h.Mcp.Requests.Last(r => r.PathAndQuery == "/oauth/authorize");
        Assert.Equal("Agenda@Empresa-ABC.com", JsonDocument.Parse(authorize.Body).RootElement.GetProperty("customer_email").GetString());

        var after = (await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct)))[0];
        Assert.Equal(JsonValueKind.Null, after.GetProperty("account_attempt").ValueKind);
        Assert.Equal("Agenda@Empresa-ABC.com", after.GetProperty("customer_email").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Another_account_than_the_attempts_is_a_409_and_changes_nothing(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.SetAccountAttempt("empresa-abc-123", "agenda@empresa-abc.com", "contacto@empresa-abc.com", AttemptedAt);

        var response = await client.PostAsync("v1/customer-calendars/empresa-abc-123/account-attempt/accept",
            BackendHarness.Json("""{"account_email": "otra@empresa-abc.com"}"""), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("otra@empresa-abc.com", problem.GetProperty("detail").GetString());
        Assert.Equal("contacto@empresa-abc.com", Assert.Single(await h.RowsAsync()).CustomerEmail);
        Assert.True(h.Mcp.HasAccountAttempt("empresa-abc-123"));
    }

    [Theory]
    [InlineData("""{"account_email": ".ana@empresa.com"}""", "account_email")]
    [InlineData("""{"account_email": 5}""", "account_email")]
    [InlineData("""{}""", "account_email")]
    [InlineData("""{"account_email": "a@b.com", "extra": 1}""", "extra")]
    [InlineData("""[]""", "body")]
    public async Task Bad_bodies_are_400_and_the_mcp_server_is_not_asked(string body, string field)
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.AdminClient();
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct)).EnsureSuccessStatusCode();

        var response = await client.PostAsync("v1/customer-calendars/empresa-abc-123/account-attempt/accept", BackendHarness.Json(body), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.DoesNotContain(h.Mcp!.Requests, r => r.PathAndQuery.Contains("account-attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_company_is_a_404()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.AdminClient();
        var response = await client.PostAsync("v1/customer-calendars/nadie/account-attempt/accept",
            BackendHarness.Json("""{"account_email": "a@b.com"}"""), Ct);
        await ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
