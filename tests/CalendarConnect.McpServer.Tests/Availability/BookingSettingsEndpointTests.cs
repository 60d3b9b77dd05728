using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.Availability;

/// <summary>GET|PUT /customers/{id}/booking-settings: defaults, whole-object replacement on both engines, per-field validation, and their effect on slots.</summary>
/// <param name="refusing">One server for the tests whose settings are refused (and that check nothing was stored).</param>
public class BookingSettingsEndpointTests(ClassServers refusing) : IClassFixture<ClassServers>
{
    private const string DefaultsJson = """
        {"time_zone":null,"weekly_hours":{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],
        "fri":[["09:00","18:00"]],"sat":[],"sun":[]},"slot_minutes":60,"buffer_before_minutes":0,"buffer_after_minutes":0,"min_notice_minutes":60,
        "horizon_days":60,"calendar_ids":["primary"],"allow_off_grid_starts":false}
        """;

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, string customer, string json) =>
        await http.PutAsync($"/customers/{customer}/booking-settings", new StringContent(json, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Defaults_then_a_put_replaces_the_whole_object(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        using var http = h.ServiceClient();
        var defaults = await http.GetFromJsonAsync<JsonNode>("/customers/acme/booking-settings");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DefaultsJson), defaults), defaults!.ToJsonString());

        const string Custom = """
            {"time_zone":"Europe/Madrid","weekly_hours":{"mon":[["15:00","19:00"],["09:00","13:00"]],"sat":[["10:00","14:00"]]},"slot_minutes":30,
            "buffer_before_minutes":10,"buffer_after_minutes":5,"min_notice_minutes":0,"horizon_days":14,"calendar_ids":["primary","team@example.com"]}
            """;
        using (var put = await PutAsync(http, "acme", Custom)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await http.GetFromJsonAsync<JsonNode>("/customers/acme/booking-settings");
        Assert.Equal("Europe/Madrid", stored!["time_zone"]!.GetValue<string>());
        Assert.Equal("""[["09:00","13:00"],["15:00","19:00"]]""", stored["weekly_hours"]!["mon"]!.ToJsonString()); // sorted
        Assert.Equal("[]", stored["weekly_hours"]!["tue"]!.ToJsonString()); // days left out are closed
        Assert.Equal(30, stored["slot_minutes"]!.GetValue<int>());
        Assert.Equal("""["primary","team@example.com"]""", stored["calendar_ids"]!.ToJsonString());
        Assert.False(stored["allow_off_grid_starts"]!.GetValue<bool>());
        using (var put = await PutAsync(http, "acme", """{"allow_off_grid_starts":true}""")) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True((await http.GetFromJsonAsync<JsonNode>("/customers/acme/booking-settings"))!["allow_off_grid_starts"]!.GetValue<bool>());

        // Replace, not merge: fields left out return to their defaults.
        using (var put = await PutAsync(http, "acme", """{"slot_minutes":45}""")) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var replaced = await http.GetFromJsonAsync<JsonNode>("/customers/acme/booking-settings");
        Assert.Null(replaced!["time_zone"]);
        Assert.Equal(45, replaced["slot_minutes"]!.GetValue<int>());
        Assert.Equal("""[["09:00","18:00"]]""", replaced["weekly_hours"]!["mon"]!.ToJsonString());

        // Another company still has the defaults.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DefaultsJson), await http.GetFromJsonAsync<JsonNode>("/customers/other/booking-settings")));
    }

    [Theory]
    [InlineData("""{"time_zone":"Mars/Olympus"}""", "time_zone")]
    [InlineData("""{"time_zone":5}""", "time_zone")]
    [InlineData("""{"weekly_hours":{"mon":[["9:00","18:00"]]}}""", "weekly_hours.mon")]
    [InlineData("""{"weekly_hours":{"mon":[["09:00","25:00"]]}}""", "weekly_hours.mon")]
    [InlineData("""{"weekly_hours":{"mon":[["18:00","09:00"]]}}""", "weekly_hours.mon")]
    [InlineData("""{"weekly_hours":{"mon":[["09:00","13:00"],["12:00","18:00"]]}}""", "weekly_hours.mon")]
    [InlineData("""{"weekly_hours":{"monday":[["09:00","18:00"]]}}""", "weekly_hours.monday")]
    [InlineData("""{"weekly_hours":{"mon":[["24:00","24:00"]]}}""", "weekly_hours.mon")]
    [InlineData("""{"weekly_hours":[]}""", "weekly_hours")]
    [InlineData("""{"slot_minutes":0}""", "slot_minutes")]
    [InlineData("""{"slot_minutes":1441}""", "slot_minutes")]
    [InlineData("""{"slot_minutes":30.5}""", "slot_minutes")]
    [InlineData("""{"slot_minutes":"60"}""", "slot_minutes")]
    [InlineData("""{"buffer_before_minutes":-1}""", "buffer_before_minutes")]
    [InlineData("""{"buffer_after_minutes":721}""", "buffer_after_minutes")]
    [InlineData("""{"min_notice_minutes":99999999}""", "min_notice_minutes")]
    [InlineData("""{"horizon_days":0}""", "horizon_days")]
    [InlineData("""{"horizon_days":366}""", "horizon_days")]
    [InlineData("""{"calendar_ids":[]}""", "calendar_ids")]
    [InlineData("""{"calendar_ids":["a","b","c","d","e","f","g","h","i","j","k"]}""", "calendar_ids")]
    [InlineData("""{"calendar_ids":["primary","primary"]}""", "calendar_ids")]
    [InlineData("""{"calendar_ids":[""]}""", "calendar_ids")]
    [InlineData("""{"allow_off_grid_starts":"yes"}""", "allow_off_grid_starts")]
    [InlineData("""{"calendar_ids":"primary"}""", "calendar_ids")]
    [InlineData("""{"slot_length":60}""", "slot_length")]
    public async Task Invalid_settings_get_a_400_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var h = await refusing.ForAsync();
        using var http = h.ServiceClient();
        using var response = await PutAsync(http, "acme", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.GetRawText());
        Assert.NotEmpty(messages.EnumerateArray().First().GetString()!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DefaultsJson), await http.GetFromJsonAsync<JsonNode>("/customers/acme/booking-settings")));
    }

    [Fact]
    public async Task Every_mistake_is_reported_at_once_and_bad_bodies_are_refused()
    {
        var h = await refusing.ForAsync();
        using var http = h.ServiceClient();
        using var response = await PutAsync(http, "acme", """{"slot_minutes":0,"horizon_days":0,"extra":true}""");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["extra", "horizon_days", "slot_minutes"], errors.EnumerateObject().Select(p => p.Name).Order());
        using (var notJson = await PutAsync(http, "acme", "{")) Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using (var array = await PutAsync(http, "acme", "[]")) Assert.Equal(HttpStatusCode.BadRequest, array.StatusCode);
        using (var badId = await http.GetAsync("/customers/%3Cscript%3E/booking-settings")) Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
    }

    [Fact]
    public async Task Only_the_service_key_may_read_or_change_settings()
    {
        var h = await refusing.ForAsync();
        using var anonymous = h.Mcp.CreateClient();
        using (var get = await anonymous.GetAsync("/customers/acme/booking-settings")) Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        using (var put = await PutAsync(anonymous, "acme", "{}")) Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
    }

    [Fact]
    public async Task Settings_drive_the_slots_hours_length_zone_and_buffers()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("acme", "acme@example.com");
        using var http = h.ServiceClient();
        var saturday = McpServerHarness.NextWeekday(3);
        while (saturday.DayOfWeek != DayOfWeek.Saturday) saturday = saturday.AddDays(1);
        var monday = saturday.AddDays(2);
        using (var put = await PutAsync(http, "acme", """
            {"time_zone":"Europe/Madrid","weekly_hours":{"sat":[["10:00","12:00"]],"mon":[["09:00","10:00"],["16:00","17:00"]]},"slot_minutes":30,"buffer_after_minutes":30}
            """)) Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // An event 16:30-17:00 Madrid on Monday: with a 30-minute buffer after, 16:00 is blocked too.
        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
        var offset = madrid.GetUtcOffset(monday.ToDateTime(new TimeOnly(16, 30)));
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        await h.AddEventAsync("acme@example.com", new
        {
            id = "evtbuffer1",
            start = new { dateTime = $"{monday:yyyy-MM-dd}T16:30:00{sign}{offset:hh\\:mm}" },
            end = new { dateTime = $"{monday:yyyy-MM-dd}T17:00:00{sign}{offset:hh\\:mm}" },
        });

        async Task<string[]> Starts(DateOnly day)
        {
            var result = await h.CallAsync("acme", "get_available_slots", new() { ["date_iso"] = day.ToString("yyyy-MM-dd") });
            Assert.True(result.IsError != true, McpServerHarness.TextOf(result));
            Assert.Equal("Europe/Madrid", result.StructuredContent!.Value.GetProperty("time_zone").GetString());
            return result.StructuredContent!.Value.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()![11..16]).ToArray();
        }

        Assert.Equal(["10:00", "10:30", "11:00", "11:30"], await Starts(saturday));
        Assert.Equal(["09:00", "09:30"], await Starts(monday));
        Assert.Empty(await Starts(monday.AddDays(1)));
    }
}
