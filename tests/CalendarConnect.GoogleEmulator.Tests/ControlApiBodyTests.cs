using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>
/// The control API's bodies are request records bound by the framework: a body it cannot read is a 400 or 413 with the
/// control API's {"error"} saying what is wrong, never a trace; the Google-facing endpoints keep Google's errors.
/// </summary>
public class ControlApiBodyTests
{
    public static TheoryData<string, string, HttpStatusCode, string> BadBodies() => new()
    {
        { "/emulator/accounts", """{"email":"ana@example.com","name":"Ana"}""", HttpStatusCode.BadRequest, "unknown field" },
        { "/emulator/accounts", """{"email":5}""", HttpStatusCode.BadRequest, "email has a value of the wrong type" },
        { "/emulator/accounts", """{"email":"ana@example.com","email":"eva@example.com"}""", HttpStatusCode.BadRequest, "email appears more than once" },
        { "/emulator/accounts", """{"email":""", HttpStatusCode.BadRequest, "not valid JSON" },
        { "/emulator/accounts", "[]", HttpStatusCode.BadRequest, "the body must be" },
        { "/emulator/accounts", "{\"email\":" + new string('[', 40) + new string(']', 40) + "}", HttpStatusCode.BadRequest, "" },
        { "/emulator/faults", """{"path_prefix":"/token","status":true}""", HttpStatusCode.BadRequest, "status has a value of the wrong type" },
        { "/emulator/faults", """{"path_prefix":"/token","status":503,"times":2}""", HttpStatusCode.BadRequest, "unknown field" },
        { "/emulator/channels/drop", """{"id":["a"]}""", HttpStatusCode.BadRequest, "id has a value of the wrong type" },
        { "/emulator/channels/drop", """{"ids":"a"}""", HttpStatusCode.BadRequest, "the body must be {}" },
        { "/emulator/accounts", "{\"email\":\"" + new string('a', 20_000) + "@example.com\"}", HttpStatusCode.RequestEntityTooLarge, "larger than" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_body_the_control_api_cannot_read_is_an_error_saying_what_is_wrong(string path, string body, HttpStatusCode expected, string words)
    {
        await using var google = await EmulatorHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = expected == HttpStatusCode.RequestEntityTooLarge; // the 413 comes before the body is sent
        using var response = await google.Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(text)!["error"]!.GetValue<string>();
        Assert.Contains(words, error);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_its_content_type_is_415_and_dropping_channels_needs_no_body()
    {
        await using var google = await EmulatorHarness.StartAsync();
        using var response = await google.Http.PutAsync("/emulator/latency", new StringContent("ms=40", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());

        using var none = await google.Http.PostAsync("/emulator/channels/drop", null);
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        using var empty = await google.Http.PostAsJsonAsync("/emulator/channels/drop", new { });
        Assert.Equal(0, (await empty.Content.ReadFromJsonAsync<JsonObject>())!["dropped_channels"]!.GetValue<int>());
    }
}
