using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A span of clock time the customer gave instead of one time: "from 1 to 4pm", "entre las 3 y las 6". The free starts
/// inside it are what the customer wants to see; its end is a limit, never a time to propose.
/// </summary>
/// <param name="MeridiemAssumed">Neither end had am/pm or a part of the day ("entre las 3 y las 6"): the likely reading was taken.</param>
public sealed record TimeRange(LocalTime From, LocalTime To, bool MeridiemAssumed = false)
{
    /// <summary>Whether a slot starting at <paramref name="start"/> starts within the range (its end excluded).</summary>
    public bool Contains(LocalTime start) => start >= From && start < To;
}

/// <summary>
/// Several days the customer named as one ("el próximo fin de semana", "sometime next week", "a principios del mes que
/// viene"), before we know which day today is in the company's zone.
/// </summary>
public abstract record DateSpan
{
    /// <summary>The first and last day meant (both included), or null when the words name no real days.</summary>
    public abstract (LocalDate First, LocalDate Last)? Resolve(LocalDate today);
}

/// <summary>A pick from the list the assistant just showed: "the second one", "la última", "la de las 11".</summary>
public abstract record ListSelection;

/// <summary>"El primero", "the second one" (1-based); <paramref name="FromEnd"/> counts from the end ("la última" is 1 from the end).</summary>
public sealed record SelectionByPosition(int Position, bool FromEnd = false) : ListSelection;

/// <summary>"La de las 11", "the 3 o'clock one": the listed time at that hour; either reading when <paramref name="MeridiemAssumed"/>.</summary>
public sealed record SelectionByTime(LocalTime Time, bool MeridiemAssumed = false) : ListSelection;

/// <summary>
/// "The later one", "the earlier one": of two listed times, the later (or the earlier) one; of more, it does not say which.
/// <paramref name="Most"/>: "the latest", "the earliest", "la más tarde": the last (or first) of any number.
/// </summary>
public sealed record SelectionByOrder(bool Later, bool Most = false) : ListSelection;

/// <summary>"The other one", "la otra": of two times, the one not proposed.</summary>
public sealed record SelectionOther : ListSelection;

/// <summary>"The tuesday one", "el del miércoles", "wednesday works": the listed time on the day the message names (its date).</summary>
public sealed record SelectionByDay : ListSelection;

/// <summary>"La del medio", "the middle one": the middle item of a list with one.</summary>
public sealed record SelectionInMiddle : ListSelection;

/// <summary>"That one", "esa": a pick that does not say which (only a list of one answers it).</summary>
public sealed record SelectionUnnamed : ListSelection;

/// <summary>
/// A time relative to the one being talked about ("una hora más tarde", "push it back 30 minutes"): later or earlier by
/// <paramref name="Minutes"/>, or by an amount not said ("un rato más tarde", "a bit earlier") when it is null.
/// </summary>
public sealed record TimeShift(bool Later, int? Minutes)
{
    /// <summary>The signed change in minutes; null when the amount was not said.</summary>
    public int? SignedMinutes => Minutes is { } minutes ? (Later ? minutes : -minutes) : null;
}

/// <summary>
/// One of two slots the customer offered as alternatives ("el 20 a las 3 o el 21 a las 4"): a day, a time or both
/// (what one side left out it shares with the other).
/// </summary>
public sealed record Alternative(DateExpression? Date, LocalTime? Time, bool MeridiemAssumed);
