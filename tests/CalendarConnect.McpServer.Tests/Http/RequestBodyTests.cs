using System.Net;
using System.Text;
using System.Text.Json;

namespace CalendarConnect.McpServer.Tests.Http;

/// <summary>
/// The service endpoints' JSON bodies are request records bound by the framework: every way a body can be wrong is a
/// problem+json with a detail (and the field in "errors" where there is one), never a trace.
/// </summary>
public class RequestBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, HttpStatusCode, string?> BadBodies() => new()
    {
        { "/oauth/authorize", """{"customer_id":"ok-id","colour":"azul"}""", HttpStatusCode.BadRequest, "colour" },
        { "/oauth/authorize", """{"customer_id":"ok-id","customer_id":"ok-id"}""", HttpStatusCode.BadRequest, "customer_id" },
        { "/oauth/authorize", """{"customer_id":"ok-id","customer_email":5}""", HttpStatusCode.BadRequest, "customer_email" },
        { "/oauth/authorize", "", HttpStatusCode.BadRequest, null },
        { "/oauth/authorize", "[" + new string('[', 40) + new string(']', 41), HttpStatusCode.BadRequest, null },
        { "/customers/ok-id/account-attempt/accept", """{"account_email":"a@b.com","extra":1}""", HttpStatusCode.BadRequest, "extra" },
        { "/customers/ok-id/account-attempt/accept", """{"account_email":["a@b.com"]}""", HttpStatusCode.BadRequest, "account_email" },
        { "/customers/ok-id/account-attempt/accept", "{}", HttpStatusCode.BadRequest, "account_email" },
        { "/customers/ok-id/account-attempt/accept", "{\"account_email\":\"" + new string('a', 20_000) + "@b.com\"}", HttpStatusCode.RequestEntityTooLarge, null },
        { "/customers/ok-id/mcp-keys", """{"label":7}""", HttpStatusCode.BadRequest, "label" },
        { "/customers/ok-id/mcp-keys", """{"name":"x"}""", HttpStatusCode.BadRequest, "name" },
        { "/customers/ok-id/mcp-keys", "null", HttpStatusCode.BadRequest, "body" },
        { "/customers/ok-id/mcp-keys", """{"label":"a""", HttpStatusCode.BadRequest, null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_problem_saying_what_is_wrong(string path, string body, HttpStatusCode expected, string? field)
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.ServiceClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = expected == HttpStatusCode.RequestEntityTooLarge; // the 413 comes before the body is sent
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var problem = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()), text);
        if (field is not null) Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task A_booking_settings_body_given_twice_or_too_deep_is_a_problem_and_any_other_json_is_read_field_by_field()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.ServiceClient();
        foreach (var (body, field) in new[]
                 {
                     ("""{"slot_minutes":30,"slot_minutes":45}""", (string?)null),
                     ("""{"weekly_hours":""" + new string('[', 40) + new string(']', 40) + "}", null),
                     ("""[]""", null),
                     ("""null""", null),
                 })
        {
            using var response = await http.PutAsync("/customers/ok-id/booking-settings", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(Ct);
            using var problem = JsonDocument.Parse(text);
            Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()), text);
            if (field is not null) Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
            Assert.DoesNotContain("Exception", text);
        }
    }
}
