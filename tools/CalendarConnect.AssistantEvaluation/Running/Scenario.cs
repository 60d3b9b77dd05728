using NodaTime;

namespace CalendarConnect.AssistantEvaluation.Running;

/// <summary>
/// The one clock and calendar every case of the corpus is written against (the corpus file's header repeats it for
/// its readers): Wednesday 15 January 2025, 10:00 in Buenos Aires, as the rest of the tests use; one company open
/// Monday to Friday 09:00–18:00 and Saturday 09:00–13:00, hourly appointments, an hour's notice, and a few events of
/// its own that make some times busy.
/// </summary>
public static class Scenario
{
    public const string TimeZone = "America/Argentina/Buenos_Aires";
    public const string CustomerId = "consultorio-evaluacion";
    public const string Email = "agenda@consultorio-evaluacion.com";
    public const string Name = "Consultorio Evaluación";

    /// <summary>10:00 in Buenos Aires (UTC−3).</summary>
    public static readonly DateTimeOffset Now = new(2025, 1, 15, 13, 0, 0, TimeSpan.Zero);

    /// <summary><see cref="Now"/> on the company's clock.</summary>
    public static readonly LocalDateTime LocalNow = Instant.FromDateTimeOffset(Now).InZone(DateTimeZoneProviders.Tzdb[TimeZone]).LocalDateTime;

    public static LocalDate Today => LocalNow.Date;

    private static readonly string[][] Weekday = [["09:00", "18:00"]];

    /// <summary>The booking settings (DESIGN.md, booking-settings) written before any case runs.</summary>
    public static object BookingSettings => new
    {
        time_zone = TimeZone,
        weekly_hours = new Dictionary<string, string[][]>
        {
            ["mon"] = Weekday, ["tue"] = Weekday, ["wed"] = Weekday, ["thu"] = Weekday, ["fri"] = Weekday,
            ["sat"] = [["09:00", "13:00"]], ["sun"] = [],
        },
        slot_minutes = 60,
        min_notice_minutes = 60,
        horizon_days = 60,
    };

    /// <summary>The company's own events: what makes some requested times busy.</summary>
    public static readonly IReadOnlyList<BusyEvent> Busy =
    [
        new("busy-wed-11", new LocalDate(2025, 1, 15), new LocalTime(11, 0), new LocalTime(12, 0)),
        new("busy-thu-15", new LocalDate(2025, 1, 16), new LocalTime(15, 0), new LocalTime(16, 0)),
        new("busy-fri-10", new LocalDate(2025, 1, 17), new LocalTime(10, 0), new LocalTime(12, 0)),
        new("busy-sat-09", new LocalDate(2025, 1, 18), new LocalTime(9, 0), new LocalTime(10, 0)),
        new("busy-mon-16", new LocalDate(2025, 1, 20), new LocalTime(16, 0), new LocalTime(18, 0)),
    ];

    /// <summary>The span the calendar is read over to see what a case wrote: from today to past the booking horizon.</summary>
    public static readonly (LocalDate First, LocalDate End) Watched = (Today, Today.PlusDays(70));
}

/// <summary>An event of the company's own in the scenario's calendar.</summary>
public sealed record BusyEvent(string Id, LocalDate Date, LocalTime From, LocalTime To);
