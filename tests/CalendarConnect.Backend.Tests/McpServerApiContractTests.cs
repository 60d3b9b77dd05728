using System.Net.Http.Headers;
using CalendarConnect.Backend.McpServer;
using CalendarConnect.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// One MCP Calendar Server the backend's <see cref="McpServerClient"/> talks to, for one test class: the real server with
/// the Google emulator, or <see cref="StandInMcpServer"/>, which the backend's tests stand on.
/// </summary>
public interface IMcpServerStage : IAsyncDisposable
{
    Uri BaseAddress { get; }

    string ApiKey { get; }

    /// <summary>The company's person consents with Google account <paramref name="email"/>: the company is connected.</summary>
    Task ConnectAsync(string customerId, string email);
}

/// <summary>
/// The MCP server's HTTP API as the backend relies on it, through the backend's real <see cref="McpServerClient"/>:
/// connection status (one, many, the feed of changes), the connect link, disconnection, per-company MCP keys and booking
/// settings. Derived for the real server (<see cref="RealMcpServerApiContractTests"/>) and for the stand-in the other
/// backend tests use (<see cref="StandInMcpServerApiContractTests"/>), so the stand-in cannot answer what the real one does not.
/// Each test works on companies of its own, so a server may be shared by the class.
/// </summary>
public abstract class McpServerApiContractTests(IMcpServerStage stage)
{
    private McpServerClient Client()
    {
        var http = new HttpClient { BaseAddress = stage.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stage.ApiKey);
        return new McpServerClient(http, NullLogger<McpServerClient>.Instance);
    }

    private static string NewCompany() => "contrato-" + Guid.NewGuid().ToString("N")[..12];

    private static string EmailOf(string company) => company + "@empresa.example";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<string> ConnectedCompanyAsync()
    {
        var company = NewCompany();
        await stage.ConnectAsync(company, EmailOf(company));
        return company;
    }

    [Fact]
    public async Task A_company_never_seen_is_not_connected()
    {
        var company = NewCompany();
        var status = await Client().GetCalendarStatusAsync(company, Cancel);
        Assert.Equal((company, ConnectionStatus.NotConnected, false, (string?)null), (status.CustomerId, status.Status, status.CalendarConnected, status.CalendarEmail));
    }

    [Fact]
    public async Task A_connected_company_is_connected_with_its_google_account()
    {
        var company = await ConnectedCompanyAsync();
        var status = await Client().GetCalendarStatusAsync(company, Cancel);
        Assert.Equal((ConnectionStatus.Connected, true, EmailOf(company)), (status.Status, status.CalendarConnected, status.CalendarEmail));
        Assert.False(status.AccountMismatch);
        Assert.Null(status.AccountAttempt);
    }

    [Fact]
    public async Task The_batch_answers_each_company_asked()
    {
        var connected = await ConnectedCompanyAsync();
        var never = NewCompany();
        var statuses = await Client().GetCalendarStatusBatchAsync([connected, never], Cancel);
        Assert.Equal(ConnectionStatus.Connected, statuses[connected].Status);
        Assert.Equal(ConnectionStatus.NotConnected, statuses[never].Status);
        Assert.Equal(2, statuses.Count);
    }

    [Fact]
    public async Task The_feed_reports_a_connection_and_a_disconnection_after_the_cursor()
    {
        var client = Client();
        var cursor = await EndOfFeedAsync(client);
        var company = await ConnectedCompanyAsync();
        Assert.Equal([ConnectionStatus.Connected], await ChangesOfAsync(client, company, cursor));
        cursor = await EndOfFeedAsync(client);
        await client.DisconnectAsync(company, Cancel);
        Assert.Equal([ConnectionStatus.NotConnected], await ChangesOfAsync(client, company, cursor));
    }

    private static async Task<long> EndOfFeedAsync(McpServerClient client)
    {
        var cursor = 0L;
        while (true)
        {
            var page = await client.GetCalendarStatusChangesAsync(cursor, 1000, Cancel);
            cursor = page.Cursor;
            if (!page.HasMore) return cursor;
        }
    }

    private static async Task<IReadOnlyList<string>> ChangesOfAsync(McpServerClient client, string company, long after)
    {
        var page = await client.GetCalendarStatusChangesAsync(after, 1000, Cancel);
        Assert.False(page.HasMore);
        return page.Changes.Where(c => c.CustomerId == company).Select(c => c.Status).ToList();
    }

    [Fact]
    public async Task Disconnecting_revokes_at_google_and_the_company_is_not_connected()
    {
        var company = await ConnectedCompanyAsync();
        var client = Client();
        var disconnection = await client.DisconnectAsync(company, Cancel);
        Assert.Equal((company, ConnectionStatus.NotConnected, true, false, false),
            (disconnection.CustomerId, disconnection.Status, disconnection.RevokedAtGoogle, disconnection.GrantMayStillBeActive, disconnection.RevocationRetrying));
        Assert.Equal(ConnectionStatus.NotConnected, (await client.GetCalendarStatusAsync(company, Cancel)).Status);
    }

    [Fact]
    public async Task Disconnecting_a_company_never_connected_revokes_nothing()
    {
        var company = NewCompany();
        var disconnection = await Client().DisconnectAsync(company, Cancel);
        Assert.Equal((company, ConnectionStatus.NotConnected, false, false), (disconnection.CustomerId, disconnection.Status, disconnection.RevokedAtGoogle, disconnection.GrantMayStillBeActive));
    }

    [Fact]
    public async Task Authorization_answers_the_google_link_and_a_shareable_link_for_the_company()
    {
        var company = NewCompany();
        var start = await Client().StartAuthorizationAsync(company, EmailOf(company), Cancel);
        Assert.Equal(company, start.CustomerId);
        Assert.True(Uri.IsWellFormedUriString(start.AuthorizationUrl, UriKind.Absolute));
        Assert.True(Uri.IsWellFormedUriString(start.ShareableLink, UriKind.Absolute));
        Assert.True(start.ShareableLinkExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_mcp_key_is_shown_once_listed_without_its_secret_and_revoked_by_its_company_only_once_or_again()
    {
        var company = await ConnectedCompanyAsync();
        var client = Client();
        var issued = await client.CreateMcpKeyAsync(company, "Agenda web", Cancel);
        Assert.Equal((company, "Agenda web"), (issued.CustomerId, issued.Label));
        Assert.True(McpKeyIdRule.IsValid(issued.KeyId));
        Assert.False(string.IsNullOrWhiteSpace(issued.ApiKey));

        var listed = Assert.Single((await client.ListMcpKeysAsync(company, Cancel))!);
        Assert.Equal((issued.KeyId, "Agenda web", (DateTimeOffset?)null), (listed.KeyId, listed.Label, listed.RevokedAt));

        Assert.False(await client.RevokeMcpKeyAsync(NewCompany(), issued.KeyId, Cancel));
        Assert.True(await client.RevokeMcpKeyAsync(company, issued.KeyId, Cancel));
        Assert.NotNull(Assert.Single((await client.ListMcpKeysAsync(company, Cancel))!).RevokedAt);
        // Revoking again is done (a retry after a lost answer is safe).
        Assert.True(await client.RevokeMcpKeyAsync(company, issued.KeyId, Cancel));
    }

    [Fact]
    public async Task Booking_settings_start_as_the_documented_defaults()
    {
        var company = await ConnectedCompanyAsync();
        var settings = await Client().GetBookingSettingsAsync(company, Cancel);
        Assert.Null(settings.TimeZone);
        Assert.Equal((60, 0, 0, 60, 60, false), (settings.SlotMinutes, settings.BufferBeforeMinutes, settings.BufferAfterMinutes,
            settings.MinNoticeMinutes, settings.HorizonDays, settings.AllowOffGridStarts));
        Assert.Equal(["primary"], settings.CalendarIds);
        Assert.Equal(BookingSettingsRules.DayKeys, settings.WeeklyHours.Keys);
        Assert.All(["mon", "tue", "wed", "thu", "fri"], day => Assert.Equal([["09:00", "18:00"]], settings.WeeklyHours[day]));
        Assert.Empty(settings.WeeklyHours["sat"]);
        Assert.Empty(settings.WeeklyHours["sun"]);
    }

    [Fact]
    public async Task Saved_booking_settings_are_answered_back_and_kept()
    {
        var company = await ConnectedCompanyAsync();
        var client = Client();
        var defaults = await client.GetBookingSettingsAsync(company, Cancel);
        var json = System.Text.Json.JsonSerializer.Serialize(defaults with { SlotMinutes = 30, MinNoticeMinutes = 120 },
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        var saved = await client.PutBookingSettingsAsync(company, json, Cancel);
        Assert.Null(saved.Errors);
        Assert.Equal((30, 120), (saved.Saved!.SlotMinutes, saved.Saved.MinNoticeMinutes));
        var read = await client.GetBookingSettingsAsync(company, Cancel);
        Assert.Equal((30, 120, 60), (read.SlotMinutes, read.MinNoticeMinutes, read.HorizonDays));
    }

    [Fact]
    public async Task Booking_settings_outside_the_limits_are_refused_field_by_field()
    {
        var company = await ConnectedCompanyAsync();
        var client = Client();
        var defaults = await client.GetBookingSettingsAsync(company, Cancel);
        var json = System.Text.Json.JsonSerializer.Serialize(defaults with { SlotMinutes = BookingSettingsRules.MaxSlotMinutes + 1 },
            new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        var refused = await client.PutBookingSettingsAsync(company, json, Cancel);
        Assert.Null(refused.Saved);
        Assert.Contains("slot_minutes", refused.Errors!.Keys);
        Assert.Equal(60, (await client.GetBookingSettingsAsync(company, Cancel)).SlotMinutes);
    }

    [Fact]
    public async Task Accepting_an_account_attempt_the_company_never_made_is_answered_as_none()
    {
        var company = await ConnectedCompanyAsync();
        Assert.Null(await Client().AcceptAccountAttemptAsync(company, "otra@empresa.example", Cancel));
    }
}
