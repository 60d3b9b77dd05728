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

    private readonly ConcurrentDictionary<string, (BookingSettings Settings, long CachedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The company's settings, or the defaults when it never stored any.</summary>
    public async Task<BookingSettings> GetAsync(string customerId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(customerId, out var cached) && time.GetElapsedTime(cached.CachedAt) < CacheFor) return cached.Settings;
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT settings_json FROM booking_settings WHERE customer_id = @customerId", new { customerId });
        var settings = json is null ? BookingSettings.Default : Read(customerId, json);
        _cache[customerId] = (settings, time.GetTimestamp());
        return settings;
    }

    public async Task SaveAsync(string customerId, BookingSettings settings, CancellationToken cancellationToken)
    {
        var json = BookingSettingsJson.ToJson(settings).ToJsonString();
        await using var connection = await database.OpenAsync(cancellationToken);
        // Same statement on both engines: SQLite (3.24+) and PostgreSQL share this upsert syntax.
        await connection.ExecuteAsync(
            """
            INSERT INTO booking_settings (customer_id, settings_json, updated_at) VALUES (@customerId, @json, @now)
            ON CONFLICT (customer_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at
            """,
            new { customerId, json, now = IsoUtc.Format(time.GetUtcNow()) });
        _cache[customerId] = (settings, time.GetTimestamp());
    }

    private static BookingSettings Read(string customerId, string json)
    {
        using var document = JsonDocument.Parse(json);
        var (settings, errors) = BookingSettingsJson.Parse(document.RootElement);
        // Only this class writes the row, always validated; a row that no longer validates was edited by hand.
        // Guessing would offer wrong hours, so refuse loudly instead.
        return settings ?? throw new InvalidOperationException(
            $"The stored booking settings of customer {customerId} are invalid ({string.Join("; ", errors.Keys)}). Save them again with PUT.");
    }
}
