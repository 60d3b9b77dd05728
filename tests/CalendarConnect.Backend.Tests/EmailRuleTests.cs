using System.Net;
using CalendarConnect.Backend.CustomerCalendars;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Issue 11, item 20: the backend accepted emails the MCP server refuses (".ana@empresa.com"), saved the company and
/// answered 502. Both services now apply one rule: the table in <see cref="EmailAddressCases"/>, which the MCP server's
/// tests check against its rule too, gets the same answers here.
/// </summary>
public class EmailRuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, bool> Cases() => new(EmailAddressCases.All.Select(c => (c.Email, c.Valid)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_backend_answers_the_shared_table(string email, bool valid) =>
        Assert.Equal(valid, ConnectRequest.CustomerEmailError(email) is null);

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Connect_with_an_email_the_mcp_server_refuses_is_a_400_and_saves_nothing(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();

        var response = await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(email: ".ana@empresa.com"), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("email válido", problem.GetProperty("errors").GetProperty("customer_email")[0].GetString());
        Assert.Empty(await h.RowsAsync());
        Assert.Empty(h.Mcp!.Requests);
    }
}
