using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

public class QuotaTests
{
    [Fact]
    public async Task Beyond_the_per_user_quota_google_answers_its_recorded_403_rate_limit_body_until_the_minute_slides()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var ana = (await google.SignInAsync("ana@example.com")).AccessToken;
        var bob = (await google.SignInAsync("bob@example.com")).AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await google.PutJsonAsync("/emulator/quota", new { per_user_per_minute = 3 })).StatusCode);
        Assert.Equal(3, (await google.Http.GetFromJsonAsync<JsonObject>("/emulator/quota"))!["per_user_per_minute"]!.GetValue<int>());

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", ana)).StatusCode);
        var limited = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events", ana);
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("application/json; charset=UTF-8", limited.Content.Headers.ContentType!.ToString());
        var body = await EmulatorHarness.ReadObjectAsync(limited);
        Assert.True(JsonNode.DeepEquals(EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "issue_403_rateLimitExceeded.json")["body"], body), body.ToJsonString());
        Assert.True(JsonNode.DeepEquals(EmulatorHarness.LoadRecorded("calendar", "errors", "northworld-normalized", "403_rate_limit.json"), body));

        // Another user has a quota of their own; the first gets theirs back as the minute slides.
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", bob)).StatusCode);
        google.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", ana)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await google.PutJsonAsync("/emulator/quota", new { per_user_per_minute = 0 })).StatusCode);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", ana)).StatusCode);
    }

    [Fact]
    public async Task The_quota_is_the_calendar_apis_not_the_token_endpoints()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync("ana@example.com");
        await google.PutJsonAsync("/emulator/quota", new { per_user_per_minute = 1 });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await google.RefreshAsync(tokens.RefreshToken!)).StatusCode);
    }

    [Theory]
    [InlineData("""{"per_user_per_minute":-1}""")]
    [InlineData("""{}""")]
    public async Task Bad_quotas_are_400(string body)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.PutAsync("/emulator/quota", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
