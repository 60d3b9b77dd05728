using System.Collections.Concurrent;
using System.Text.Json;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.Availability;

/// <summary>
/// Booking settings per company in the <c>booking_settings</c> table (one JSON object per company). Tool calls
/// read them on the hot path, so reads are cached for <see cref="CacheFor"/>: a change is seen at once on this
/// replica and within that time on the others.
/// </summary>
public sealed class BookingSettingsStore(TokenDatabase database, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>Each entry keeps the row's <c>updated_at</c>: a slow read that finishes after a save must not put older settings back.</summary>
    private readonly ConcurrentDictionary<string, (BookingSettings Settings, long CachedAt, string UpdatedAt)> _cache = new(StringComparer.Ordinal);

    private sealed record Row(string settings_json, string updated_at);

    /// <summary>The company's settings, or the defaults when it never stored any.</summary>
    public async Task<BookingSettings> GetAsync(string customerId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(customerId, out var cached) && time.GetElapsedTime(cached.CachedAt) < CacheFor) return cached.Settings;
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT settings_json, updated_at FROM booking_settings WHERE customer_id = @customerId", new { customerId });
        var settings = row is null ? BookingSettings.Default : Read(customerId, row.settings_json);
        Remember(customerId, settings, row?.updated_at ?? "");
        return settings;
    }

    public async Task SaveAsync(string customerId, BookingSettings settings, CancellationToken cancellationToken)
    {
        var json = BookingSettingsJson.ToJson(settings).ToJsonString();
        var now = IsoUtc.Format(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        // Same statement on both engines: SQLite (3.24+) and PostgreSQL share this upsert syntax.
        await connection.ExecuteAsync(
            """
            INSERT INTO booking_settings (customer_id, settings_json, updated_at) VALUES (@customerId, @json, @now)
            ON CONFLICT (customer_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at
            """,
            new { customerId, json, now });
        Remember(customerId, settings, now);
    }

    private void Remember(string customerId, BookingSettings settings, string updatedAt)
    {
        var entry = (settings, time.GetTimestamp(), updatedAt);
        // ISO UTC text orders as time; an entry from a later write wins over a read that saw an earlier one.
        _cache.AddOrUpdate(customerId, entry, (_, old) => string.CompareOrdinal(old.UpdatedAt, updatedAt) > 0 ? old : entry);
    }

    private static BookingSettings Read(string customerId, string json)
    {
        using var document = JsonDocument.Parse(json);
        var (settings, errors) = BookingSettingsJson.Parse(document.RootElement);
        // Only this class writes the row, always validated; a row that no longer validates was edited by hand.
        // Guessing would offer wrong hours, so refuse loudly instead.
        return settings ?? throw new InvalidStoredSettingsException(
            $"The stored booking settings of customer {customerId} are invalid ({string.Join("; ", errors.Keys)}). Save them again with PUT.");
    }
}

/// <summary>A stored settings row that no longer validates: answered as a clear problem (HTTP) or tool error, never a 500.</summary>
public sealed class InvalidStoredSettingsException(string message) : Exception(message);
