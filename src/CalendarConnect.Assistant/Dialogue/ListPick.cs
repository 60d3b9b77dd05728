using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>"The second one", "la última", "la de las 11": which item of the list the customer was just shown.</summary>
internal static class ListPick
{
    /// <summary>
    /// The index of the picked item among <paramref name="times"/> (the list's items by their start, in the order shown);
    /// null when the pick is outside the list, or a time that matches none or several of them.
    /// </summary>
    /// <param name="current">The item already picked and proposed, which "the other one" is not.</param>
    public static int? Index(ListSelection selection, IReadOnlyList<LocalTime> times, int? current = null) => selection switch
    {
        SelectionByPosition { FromEnd: true, Position: var fromEnd } when fromEnd >= 1 && fromEnd <= times.Count => times.Count - fromEnd,
        SelectionByPosition { FromEnd: false, Position: var position } when position >= 1 && position <= times.Count => position - 1,
        SelectionByTime byTime => Enumerable.Range(0, times.Count)
            .Where(i => times[i] == byTime.Time || (byTime.MeridiemAssumed && times[i] == byTime.Time.PlusHours(12)))
            .ToList() is [var only] ? only : null,
        // "The later one" says which of two; of more it does not.
        SelectionByOrder { Later: var later } when times.Count == 2 => later ? 1 : 0,
        // "The earliest", "the latest": the list is shown in order of time.
        SelectionByOrder { Later: var latest, Most: true } when times.Count > 0 => latest ? times.Count - 1 : 0,
        SelectionOther when times.Count == 2 && current is 0 or 1 => 1 - current,
        // "La del medio" of an even count has no middle: asked, never guessed.
        SelectionInMiddle when times.Count % 2 == 1 => times.Count / 2,
        SelectionUnnamed when times.Count == 1 => 0,
        _ => null,
    };

    /// <summary>
    /// "No wait, 4" or "11" where no list is shown but a time is being settled (a proposal, the name after its yes, a
    /// move's new time, the appointment just booked): the hour, read as the time asked for; null otherwise.
    /// </summary>
    public static ParsedMessage? AsTime(ParsedMessage parsed, Topic topic) =>
        topic is Proposing or AwaitingName or Moving or Idle { JustBooked: not null }
        && parsed is { Selection: SelectionByTime byTime, Time: null, Date: null, Span: null, Range: null, Shift: null }
            ? parsed with { Intent = Intent.CheckAvailability, Time = byTime.Time, MeridiemAssumed = byTime.MeridiemAssumed, Selection = null }
            : null;
}
