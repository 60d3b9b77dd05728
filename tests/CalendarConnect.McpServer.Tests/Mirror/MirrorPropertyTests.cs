using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorHarness;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>
/// The mirror's busy time is Google's: after random edits to the emulated calendar — timed and all-day events,
/// transparent, tentative, declined and working-location ones, recurring series with changed and cancelled instances,
/// moves and deletions — and a sync, the merged busy intervals the mirror holds equal what the emulator's freeBusy
/// answers, round after round, for several seeds, on both engines.
/// </summary>
public class MirrorPropertyTests
{
    private const int Rounds = 12;
    private const int EditsPerRound = 6;

    [Theory]
    [InlineData(Engines.Sqlite, 1)]
    [InlineData(Engines.Sqlite, 2)]
    [InlineData(Engines.Sqlite, 3)]
    [InlineData(Engines.PostgreSql, 4)]
    [InlineData(Engines.PostgreSql, 5)]
    public async Task Mirror_busy_equals_freeBusy_busy_after_random_edits(string engine, int seed)
    {
        await using var h = await MirrorHarness.StartAsync(engine);
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        var random = new Random(seed);
        var events = h.Emulator.GetRequiredService<CalendarEvents>();
        var accounts = h.Emulator.GetRequiredService<AccountStore>();
        var zone = DateTimeZoneProviders.Tzdb[McpServerHarness.TimeZone];
        var today = SystemClock.Instance.GetCurrentInstant().InZone(zone).Date;
        var windowStart = zone.AtStartOfDay(today.PlusDays(1)).ToInstant();
        var windowEnd = zone.AtStartOfDay(today.PlusDays(30)).ToInstant();
        var ids = new List<string>();

        for (var round = 0; round < Rounds; round++)
        {
            for (var edit = 0; edit < EditsPerRound; edit++) Edit(random, events, accounts, zone, today, ids);
            var editedAt = SystemClock.Instance.GetCurrentInstant();
            await h.SyncedAsync(after: editedAt);

            var expected = FreeBusyEndpoint.BusyIntervals(accounts.Snapshot(Email)!, windowStart, windowEnd)
                .Select(s => (s.Start, s.End)).ToList();
            var mirrored = Merge((await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None))
                .Where(e => e is { Busy: true, Start: not null, End: not null })
                .Select(e => (Instant.Max(e.Start!.Value, windowStart), Instant.Min(e.End!.Value, windowEnd))));
            Assert.True(expected.SequenceEqual(mirrored),
                $"seed {seed}, round {round}: freeBusy {Describe(expected)} but the mirror {Describe(mirrored)}");
        }
    }

    private static void Edit(Random random, CalendarEvents events, AccountStore accounts, DateTimeZone zone, LocalDate today, List<string> ids)
    {
        var choice = ids.Count == 0 ? 0 : random.Next(100);
        switch (choice)
        {
            case < 55:
                var id = "ev" + Guid.NewGuid().ToString("N")[..12];
                var stored = events.Insert(Email, NewEvent(random, zone, today, id), asGiven: false, out var error);
                Assert.True(stored is not null, error?.ToString());
                ids.Add(id);
                break;
            case < 70:
                // Move an event (or a series) to another day and time.
                var moved = Pick(random, ids);
                var (start, end) = RandomTimes(random, zone, today);
                events.Patch(Email, moved, new JsonObject { ["start"] = start, ["end"] = end }, replaceWhole: false, ifMatch: null, out _);
                break;
            case < 78:
                var flipped = Pick(random, ids);
                events.Patch(Email, flipped, new JsonObject { ["transparency"] = random.Next(2) == 0 ? "transparent" : "opaque" }, replaceWhole: false, ifMatch: null, out _);
                break;
            case < 88:
                var deleted = Pick(random, ids);
                events.Delete(Email, deleted);
                break;
            default:
                // Change or cancel one instance of a series.
                var snapshot = accounts.Snapshot(Email)!;
                var instances = CalendarView.Items(snapshot, null, zone.AtStartOfDay(today.PlusDays(40)).ToInstant(), singleEvents: true, showDeleted: false,
                        zone.AtStartOfDay(today.PlusDays(40)).ToInstant())
                    .Select(i => i.Resource).Where(r => r["recurringEventId"] is not null).ToList();
                if (instances.Count == 0) break;
                var instanceId = instances[random.Next(instances.Count)]["id"]!.GetValue<string>();
                if (random.Next(2) == 0) events.Delete(Email, instanceId);
                else
                {
                    var (newStart, newEnd) = RandomTimes(random, zone, today);
                    events.Patch(Email, instanceId, new JsonObject { ["start"] = newStart, ["end"] = newEnd }, replaceWhole: false, ifMatch: null, out _);
                }

                break;
        }
    }

    private static JsonObject NewEvent(Random random, DateTimeZone zone, LocalDate today, string id)
    {
        var resource = new JsonObject { ["id"] = id, ["summary"] = "random " + id };
        if (random.Next(6) == 0)
        {
            var first = today.PlusDays(random.Next(1, 25));
            resource["start"] = new JsonObject { ["date"] = first.ToString("yyyy-MM-dd", null) };
            resource["end"] = new JsonObject { ["date"] = first.PlusDays(random.Next(1, 3)).ToString("yyyy-MM-dd", null) };
        }
        else
        {
            var (start, end) = RandomTimes(random, zone, today);
            resource["start"] = start;
            resource["end"] = end;
            if (random.Next(4) == 0)
                resource["recurrence"] = new JsonArray(random.Next(2) == 0 ? $"RRULE:FREQ=DAILY;COUNT={random.Next(2, 6)}" : $"RRULE:FREQ=WEEKLY;COUNT={random.Next(2, 4)}");
        }

        switch (random.Next(10))
        {
            case 0: resource["transparency"] = "transparent"; break;
            case 1: resource["status"] = "tentative"; break;
            case 2:
                resource["attendees"] = new JsonArray(new JsonObject { ["email"] = Email, ["responseStatus"] = "declined" },
                    new JsonObject { ["email"] = "otra@example.com", ["responseStatus"] = "accepted" });
                break;
            case 3: resource["eventType"] = "workingLocation"; break;
        }

        return resource;
    }

    /// <summary>A start on a quarter hour in the next weeks and an end 15 minutes to 4 hours later, in the calendar's zone (with its name, as series need).</summary>
    private static (JsonObject Start, JsonObject End) RandomTimes(Random random, DateTimeZone zone, LocalDate today)
    {
        var start = today.PlusDays(random.Next(1, 25)).At(new LocalTime(random.Next(6, 21), random.Next(4) * 15));
        var end = start.PlusMinutes(15 * random.Next(1, 17));
        JsonObject Moment(LocalDateTime local) => new()
        {
            ["dateTime"] = local.InZoneLeniently(zone).ToOffsetDateTime().ToString("uuuu'-'MM'-'dd'T'HH':'mm':'sso<m>", null),
            ["timeZone"] = zone.Id,
        };
        return (Moment(start), Moment(end));
    }

    private static string Pick(Random random, List<string> ids) => ids[random.Next(ids.Count)];

    private static List<(Instant Start, Instant End)> Merge(IEnumerable<(Instant Start, Instant End)> spans)
    {
        var merged = new List<(Instant Start, Instant End)>();
        foreach (var span in spans.Where(s => s.End > s.Start).OrderBy(s => s.Start))
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Instant.Max(merged[^1].End, span.End));
            else merged.Add(span);
        }

        return merged;
    }

    private static string Describe(IEnumerable<(Instant Start, Instant End)> spans) => "[" + string.Join(", ", spans.Select(s => $"{s.Start}–{s.End}")) + "]";
}
