using System.Collections.Concurrent;
using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>
/// Booking leases across replicas (two <see cref="BookingLeases"/> on one database, as two servers run them), on both
/// engines, with the business clock in the test's hands: a dead holder is taken over within a lease's duration, a
/// working holder keeps its lease by renewing it and learns when it lost it, waiters are served in arrival order (a
/// newcomer takes a free lease at once only when nobody waits for it), and a waiter that gives up says so in the log.
/// </summary>
public sealed class BookingLeaseTests : IAsyncDisposable
{
    private const string Key = "calendar-key";
    private const string Customer = "empresa-abc-123";

    private readonly CapturedLogs _logs = new();
    private TestDatabase? _testDatabase;
    private TokenDatabase? _database;

    private async Task<TokenDatabase> DatabaseAsync(string engine)
    {
        _testDatabase = await TestDatabase.CreateAsync(engine, "tokens.db");
        _database = new TokenDatabase(_testDatabase.Location);
        await _database.MigrateAsync();
        return _database;
    }

    private BookingLeases Replica(TokenDatabase database, TimeProvider clock) =>
        new(database, clock, WaitClock.Real, LoggerFactory.Create(l => l.AddProvider(_logs)).CreateLogger<BookingLeases>());

    private static async Task<string?> ExpiresAtAsync(TokenDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT expires_at FROM booking_write_leases WHERE lease_key = @Key", new { Key });
    }

    private static async Task<IReadOnlyList<string>> TicketsAliveUntilAsync(TokenDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT alive_until FROM booking_lease_queue WHERE lease_key = @Key ORDER BY ticket", new { Key })).ToList();
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_holder_that_dies_is_taken_over_as_soon_as_its_lease_runs_out(string engine)
    {
        var database = await DatabaseAsync(engine);
        var start = DateTimeOffset.UtcNow;
        // The dead replica's clock never moves, so its renewals never come: it holds the lease and never gives it back.
        var dead = Replica(database, new FakeTimeProvider(start));
        var clock = new FakeTimeProvider(start);
        var alive = Replica(database, clock);
        var held = await dead.AcquireAsync(Key, Customer, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(held);

        var waiting = alive.AcquireAsync(Key, Customer, TimeSpan.FromSeconds(60), CancellationToken.None);
        clock.Advance(BookingLeases.Duration - TimeSpan.FromMilliseconds(1));
        // The waiter's ticket kept alive at the new time proves it asked after the clock moved, and did not get the lease.
        var aliveUntil = BookingLeases.LeaseTime(clock.GetUtcNow() + BookingLeases.Duration);
        await Eventually.TrueAsync(async () => (await TicketsAliveUntilAsync(database)).SequenceEqual([aliveUntil]), "the waiter asked again");
        Assert.False(waiting.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(taken);
        Assert.Equal(BookingLeases.LeaseTime(clock.GetUtcNow() + BookingLeases.Duration), await ExpiresAtAsync(database));
        // Should the dead replica wake up, its lease is gone: it cannot renew (and its fenced writes fail the same way).
        Assert.False(await dead.RenewAsync(Key, held.Holder, CancellationToken.None));
        Assert.Empty(await TicketsAliveUntilAsync(database));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_working_holder_keeps_its_lease_by_renewing_it_and_learns_when_it_was_lost(string engine)
    {
        var database = await DatabaseAsync(engine);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Replica(database, clock);
        var b = Replica(database, clock);
        await using var held = await a.AcquireAsync(Key, Customer, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(held);

        // Three lease durations of work: renewed at every tick, so never free for the other replica.
        for (var tick = 0; tick < 9; tick++)
        {
            clock.Advance(BookingLeases.RenewEvery);
            var renewedTo = BookingLeases.LeaseTime(clock.GetUtcNow() + BookingLeases.Duration);
            await Eventually.TrueAsync(async () => await ExpiresAtAsync(database) == renewedTo, $"renewal {tick + 1}");
        }

        Assert.Null(await b.AcquireAsync(Key, Customer, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.False(held.Lost.IsCancellationRequested);

        // Someone else has it now (this holder's renewals failed for longer than a lease, say): the next renewal says so.
        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("UPDATE booking_write_leases SET holder = 'other-replica'");
        clock.Advance(BookingLeases.RenewEvery);
        await Eventually.TrueAsync(() => Task.FromResult(held.Lost.IsCancellationRequested), "the holder learns it lost the lease", TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Waiters_on_two_replicas_get_the_lease_in_the_order_they_arrived(string engine)
    {
        var database = await DatabaseAsync(engine);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow); // frozen: only a release frees the lease
        var replicas = new[] { Replica(database, clock), Replica(database, clock) };
        var first = await replicas[0].AcquireAsync(Key, Customer, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(first);

        var served = new ConcurrentQueue<int>();
        var waiters = new List<Task>();
        int[] arrivals = [1, 0, 0, 1, 0, 1, 1, 0, 1, 0];
        for (var i = 0; i < arrivals.Length; i++)
        {
            var (number, replica) = (i, replicas[arrivals[i]]);
            waiters.Add(Task.Run(async () =>
            {
                await using var lease = await replica.AcquireAsync(Key, $"{Customer}-{number}", TimeSpan.FromSeconds(60), CancellationToken.None);
                Assert.NotNull(lease);
                served.Enqueue(number);
            }));
            await Eventually.TrueAsync(async () => (await TicketsAliveUntilAsync(database)).Count == number + 1, $"waiter {number} is in line");
        }

        await first.DisposeAsync();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, arrivals.Length), served);
        Assert.Empty(await TicketsAliveUntilAsync(database));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_waiter_that_gives_up_is_logged_with_the_customer_the_wait_and_its_place_and_leaves_the_line(string engine)
    {
        var database = await DatabaseAsync(engine);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Replica(database, clock);
        var b = Replica(database, clock);
        var held = await a.AcquireAsync(Key, "someone-else", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(held);
        var ahead = b.AcquireAsync(Key, "first-in-line", TimeSpan.FromSeconds(60), CancellationToken.None);
        await Eventually.TrueAsync(async () => (await TicketsAliveUntilAsync(database)).Count == 1, "a waiter ahead");

        Assert.Null(await a.AcquireAsync(Key, Customer, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        var line = Assert.Single(_logs.Lines, l => l.Contains("gave up waiting", StringComparison.Ordinal));
        Assert.StartsWith("Warning", line);
        Assert.Contains(Customer, line);
        Assert.Matches(@"after \d+[.,]\d s", line);
        Assert.Contains("number 2 in line", line);
        Assert.Single(await TicketsAliveUntilAsync(database));
        await held.DisposeAsync();
        await using var next = await ahead.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(next);
    }

    /// <summary>
    /// A waiter on another replica is in line between two polls (its ticket kept alive) while the lease is free, as on
    /// every release, or expired, as when a holder dies: a newcomer does not take it in one statement ahead of the waiter
    /// but lines up behind it. Once nobody is in line (the waiter's replica died), the newcomer takes the lease at once
    /// without queueing.
    /// </summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_newcomer_never_takes_a_free_or_expired_lease_ahead_of_a_waiter_in_line(string engine)
    {
        var database = await DatabaseAsync(engine);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var newcomers = Replica(database, clock);
        var waiterAliveUntil = BookingLeases.LeaseTime(clock.GetUtcNow() + BookingLeases.Duration);
        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO booking_lease_queue (lease_key, replica, alive_until) VALUES (@Key, 'replica-between-polls', @waiterAliveUntil)",
                new { Key, waiterAliveUntil });

        Assert.Null(await newcomers.AcquireAsync(Key, Customer, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.Null(await ExpiresAtAsync(database));

        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO booking_write_leases (lease_key, holder, expires_at) VALUES (@Key, 'dead-replica', @now)",
                new { Key, now = BookingLeases.LeaseTime(clock.GetUtcNow()) });
        Assert.Null(await newcomers.AcquireAsync(Key, Customer, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.Equal(BookingLeases.LeaseTime(clock.GetUtcNow()), await ExpiresAtAsync(database));

        var gaveUp = _logs.Lines.Where(l => l.Contains("gave up waiting", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, gaveUp.Count);
        Assert.All(gaveUp, l => Assert.Contains("number 2 in line", l));
        Assert.Equal([waiterAliveUntil], await TicketsAliveUntilAsync(database));

        // The waiter's replica died: its ticket is not kept alive, so it holds nobody back.
        clock.Advance(BookingLeases.Duration);
        await using var taken = await newcomers.AcquireAsync(Key, Customer, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.NotNull(taken);
        Assert.Equal(BookingLeases.LeaseTime(clock.GetUtcNow() + BookingLeases.Duration), await ExpiresAtAsync(database));
        // Taken in one statement, without a ticket: only the dead one is left, for the next holder that waited to remove.
        Assert.Equal([waiterAliveUntil], await TicketsAliveUntilAsync(database));
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        if (_testDatabase is not null) await _testDatabase.DisposeAsync();
    }
}
