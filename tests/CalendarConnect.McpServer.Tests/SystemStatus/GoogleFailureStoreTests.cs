using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.SystemStatus;
using CalendarConnect.Testing;
using Dapper;

namespace CalendarConnect.McpServer.Tests.SystemStatus;

/// <summary>
/// The table behind the status view's "Google failures in the last hour", on each engine: counts of the same company,
/// kind and minute written by two replicas add up, the window and the number of latest items are honoured, old minutes
/// are pruned. One suite, run against SQLite and PostgreSQL by the two classes below.
/// </summary>
public abstract class GoogleFailureStoreTests(string engine) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private TokenDatabase _tokens = null!;
    private GoogleFailureStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine, "tokens.db");
        _tokens = new TokenDatabase(_database.Location);
        await _tokens.MigrateAsync(Ct);
        _store = new GoogleFailureStore(_tokens);
    }

    public async ValueTask DisposeAsync()
    {
        await _tokens.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static GoogleFailureBucket Bucket(string customerId, string kind, DateTimeOffset at, long count, string reason, int? status = 503) =>
        new(customerId, kind, GoogleFailures.MinuteOf(at), count, reason, status, at);

    [Fact]
    public async Task Counts_of_one_minute_written_by_two_replicas_add_up_and_the_later_failure_is_shown()
    {
        await _store.AddAsync([Bucket("empresa-a", GoogleFailureKinds.CalendarApi, Noon.AddSeconds(20), 7, "backendError")], Ct);
        await _store.AddAsync([Bucket("empresa-a", GoogleFailureKinds.CalendarApi, Noon.AddSeconds(40), 5, "rateLimitExceeded", 403)], Ct);
        // A replica whose write comes late with an earlier failure adds its count without hiding the latest one.
        await _store.AddAsync([Bucket("empresa-a", GoogleFailureKinds.CalendarApi, Noon.AddSeconds(10), 2, "timeout", null)], Ct);

        var summary = await _store.ReadAsync(Noon.AddMinutes(-59), 10, Ct);
        Assert.Equal(14, summary.ByKind[GoogleFailureKinds.CalendarApi]);
        Assert.Equal(0, summary.ByKind[GoogleFailureKinds.TokenRefresh]);
        var latest = Assert.Single(summary.Latest);
        Assert.Equal(("empresa-a", GoogleFailureKinds.CalendarApi, 14L, "rateLimitExceeded", (int?)403),
            (latest.CustomerId, latest.Kind, latest.Failures, latest.Reason, latest.HttpStatus));
        Assert.Equal(Noon.AddSeconds(40), latest.LastAt);
        Assert.Equal(Noon, latest.Minute);
    }

    [Fact]
    public async Task The_window_leaves_out_older_minutes_and_the_latest_come_newest_first_up_to_the_limit()
    {
        await _store.AddAsync(
        [
            Bucket("empresa-vieja", GoogleFailureKinds.CalendarApi, Noon.AddMinutes(-90), 3, "backendError"),
            Bucket("empresa-a", GoogleFailureKinds.TokenRefresh, Noon.AddMinutes(-30), 1, "invalid_grant", 400),
            Bucket("empresa-b", GoogleFailureKinds.CalendarApi, Noon.AddMinutes(-20), 4, "backendError"),
            Bucket("empresa-c", GoogleFailureKinds.CalendarApi, Noon.AddMinutes(-10), 2, "unreachable", null),
        ], Ct);

        var summary = await _store.ReadAsync(Noon.AddMinutes(-60), 2, Ct);
        Assert.Equal(6, summary.ByKind[GoogleFailureKinds.CalendarApi]);
        Assert.Equal(1, summary.ByKind[GoogleFailureKinds.TokenRefresh]);
        Assert.Equal(["empresa-c", "empresa-b"], summary.Latest.Select(l => l.CustomerId).ToArray());
        Assert.Null(summary.Latest[0].HttpStatus);

        var everything = await _store.ReadAsync(Noon.AddHours(-2), 50, Ct);
        Assert.Equal(4, everything.Latest.Count);
    }

    [Fact]
    public async Task Pruning_deletes_the_minutes_before_the_cutoff_only()
    {
        await _store.AddAsync(
        [
            Bucket("empresa-a", GoogleFailureKinds.CalendarApi, Noon.AddHours(-25), 3, "backendError"),
            Bucket("empresa-a", GoogleFailureKinds.CalendarApi, Noon.AddHours(-23), 1, "backendError"),
        ], Ct);

        Assert.Equal(1, await _store.PruneAsync(Noon.AddHours(-24), Ct));
        await using var connection = await _tokens.OpenAsync(Ct);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM google_failures"));
        Assert.Equal(0, await _store.PruneAsync(Noon.AddHours(-24), Ct));
    }

    [Fact]
    public async Task An_empty_table_reads_as_zero_of_every_kind()
    {
        var summary = await _store.ReadAsync(Noon.AddHours(-1), 10, Ct);
        Assert.Equal(GoogleFailureKinds.All.Order().ToArray(), summary.ByKind.Keys.Order().ToArray());
        Assert.All(summary.ByKind.Values, v => Assert.Equal(0, v));
        Assert.Empty(summary.Latest);
    }
}

public sealed class SqliteGoogleFailureStoreTests() : GoogleFailureStoreTests(Engines.Sqlite);

public sealed class PostgresGoogleFailureStoreTests() : GoogleFailureStoreTests(Engines.PostgreSql);
