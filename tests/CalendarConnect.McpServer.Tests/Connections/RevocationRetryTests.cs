using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.McpServer.Tests.Connections;

/// <summary>
/// Issue 11, item 8: when Google does not confirm a disconnection's revocation, the answer says the grant may still be
/// active, and the revocation is kept (encrypted) and retried in the background with back-off, across restarts, until
/// Google answers or the attempts run out (emulator faults on /revoke).
/// </summary>
public class RevocationRetryTests
{
    private const string Customer = "company-a";
    private const string Email = "a@example.com";

    private static async Task FaultRevokeAsync(McpServerHarness h, int count)
    {
        using var control = h.Emulator.CreateClient();
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/revoke", status = 503, count })).EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> DisconnectAsync(McpServerHarness h)
    {
        using var service = h.ServiceClient();
        using var response = await service.DeleteAsync($"/customers/{Customer}/calendar");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<int> RevokeRequestsAsync(McpServerHarness h) =>
        (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString() == "/revoke");

    private static async Task<List<(string Token, long Attempts)>> PendingAsync(McpServerHarness h)
    {
        await using var connection = await h.Database.OpenAsync();
        return (await connection.QueryAsync<(string, long)>("SELECT token, CAST(attempts AS BIGINT) FROM pending_revocations")).ToList();
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_failed_revocation_is_said_kept_encrypted_and_retried_until_google_confirms(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        await FaultRevokeAsync(h, count: 2);

        var answer = await DisconnectAsync(h);

        Assert.False(answer.GetProperty("revoked_at_google").GetBoolean());
        Assert.True(answer.GetProperty("grant_may_still_be_active").GetBoolean());
        Assert.True(answer.GetProperty("revocation_retrying").GetBoolean());
        var pending = Assert.Single(await PendingAsync(h));
        Assert.StartsWith("gAAAAA", pending.Token);
        Assert.Equal(1, pending.Attempts);
        await using (var connection = await h.Database.OpenAsync())
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oauth_tokens"));

        // Not before its time: the first retry is a minute later.
        clock.Advance(TimeSpan.FromSeconds(31));
        await Eventually.TrueAsync(async () => await RevokeRequestsAsync(h) == 1 && (await PendingAsync(h)).Count == 1, "nothing retried yet");

        // Google fails the second attempt too, then confirms the third.
        await Eventually.TrueAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            return (await PendingAsync(h)).Count == 0;
        }, "the revocation is retried until Google confirms it, then forgotten");
        Assert.Equal(3, await RevokeRequestsAsync(h));
        Assert.Contains("Google confirmed the revocation for customer company-a at attempt 3", h.Logs.All);
    }

    [Fact]
    public async Task A_confirmed_revocation_needs_no_retry()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var answer = await DisconnectAsync(h);
        Assert.True(answer.GetProperty("revoked_at_google").GetBoolean());
        Assert.False(answer.GetProperty("grant_may_still_be_active").GetBoolean());
        Assert.False(answer.GetProperty("revocation_retrying").GetBoolean());
        Assert.Empty(await PendingAsync(h));
        // The worker's passes over an empty table (one ran at start-up) went without a complaint.
        Assert.DoesNotContain("Pending revocations could not be processed", h.Logs.All);
    }

    [Fact]
    public async Task The_attempts_are_bounded_with_a_growing_wait_and_then_given_up()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock);
        await h.ConnectAsync(Customer, Email);
        await FaultRevokeAsync(h, count: 1000);
        await DisconnectAsync(h);

        await Eventually.TrueAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            return (await PendingAsync(h)).Count == 0;
        }, "the revocation is given up after its last attempt");
        Assert.Equal(RevocationRetries.MaxAttempts, await RevokeRequestsAsync(h));
        Assert.Contains($"after {RevocationRetries.MaxAttempts} attempts: giving up", h.Logs.All);
        Assert.Equal(TimeSpan.FromMinutes(1), RevocationRetries.DelayAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(4), RevocationRetries.DelayAfter(3));
        Assert.Equal(TimeSpan.FromHours(1), RevocationRetries.DelayAfter(7));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_restarted_server_keeps_retrying(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        await FaultRevokeAsync(h, count: 1);
        await DisconnectAsync(h);

        // Another process on the same database, two minutes later: it finds the revocation at start-up and does it.
        var later = new FakeTimeProvider(clock.GetUtcNow().AddMinutes(2));
        await using var restarted = await LoopbackServer.StartAsync((args, s) => CalendarConnect.McpServer.Program.BuildApp(args, s,
            services => services.AddSingleton<TimeProvider>(later).AddLogging(l => l.ClearProviders())),
            McpServerHarness.Settings(h.Emulator, h.TestDatabase.Location, h.EncryptionKey, h.ApiKey));
        await Eventually.TrueAsync(async () => (await PendingAsync(h)).Count == 0, "the restarted server revoked the grant");
        Assert.Equal(2, await RevokeRequestsAsync(h));
    }

    [Fact]
    public async Task A_revocation_is_dropped_when_its_account_is_connected_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock);
        await h.ConnectAsync(Customer, Email);
        await FaultRevokeAsync(h, count: 1);
        await DisconnectAsync(h);
        await h.ConnectAsync(Customer, Email);

        await Eventually.TrueAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            return (await PendingAsync(h)).Count == 0;
        }, "the revocation is dropped");
        // Revoking now would end the new connection's grant at Google: it was not sent.
        Assert.Equal(1, await RevokeRequestsAsync(h));
        var result = await h.CallAsync(Customer, "get_current_time");
        Assert.NotEqual(true, result.IsError);
    }
}
