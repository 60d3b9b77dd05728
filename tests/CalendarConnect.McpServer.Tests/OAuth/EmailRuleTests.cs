using System.Net;
using System.Net.Http.Json;
using CalendarConnect.Shared;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.OAuth;

/// <summary>
/// Issue 11, item 20: the MCP server's email rule answers the table the backend's tests check too
/// (<see cref="EmailAddressCases"/>), so the backend never saves an email that POST /oauth/authorize then refuses.
/// </summary>
public class EmailRuleTests
{
    public static TheoryData<string, bool> Cases() => new(EmailAddressCases.All.Select(c => (c.Email, c.Valid)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_mcp_server_answers_the_shared_table(string email, bool valid) => Assert.Equal(valid, EmailAddressRule.IsValid(email));

    [Fact]
    public async Task Authorize_answers_the_shared_table()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var service = h.ServiceClient();
        foreach (var (email, valid) in EmailAddressCases.All)
        {
            using var response = await service.PostAsJsonAsync("/oauth/authorize", new { customer_id = "empresa-b", customer_email = email });
            Assert.True((valid ? HttpStatusCode.OK : HttpStatusCode.BadRequest) == response.StatusCode, $"{email}: {(int)response.StatusCode}");
        }
    }
}
