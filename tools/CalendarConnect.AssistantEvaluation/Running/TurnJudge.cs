using CalendarConnect.Assistant;
using CalendarConnect.AssistantEvaluation.Corpus;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.AssistantEvaluation.Running;

/// <summary>How one message (or case) came out.</summary>
public enum Verdict
{
    Correct,
    /// <summary>Asked back, proposed and wrote nothing, where the case says asking is acceptable ("… or ask").</summary>
    AcceptableClarification,
    Wrong,
}

/// <param name="WrongSlot">A proposal, booking or move at a date or time other than expected: the bar is none.</param>
/// <param name="Got">What the assistant did, in the corpus's vocabulary, with its reply.</param>
public sealed record TurnVerdict(Verdict Verdict, bool WrongSlot, string Got);

/// <summary>
/// Judges one answer from outside, by what the customer would see and what happened in the calendar: the reply's
/// fields (<see cref="AssistantReply"/>) and the <see cref="CalendarChange"/> the message caused.
/// </summary>
public static class TurnJudge
{
    private static readonly LocalDateTimePattern OfferedPattern = LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd'T'HH:mm");
    private static readonly LocalTimePattern WireTime = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly HashSet<string> NotQuestions = ["greeting", "help", "thanks"];

    public static TurnVerdict Judge(Expectation expected, string language, AssistantReply reply, CalendarChange change)
    {
        var got = Describe(reply, change);
        var slot = Slot(expected);
        var asked = change.None && reply.Available != true && reply.Reply.Contains('?') && !NotQuestions.Contains(reply.Intent);

        // What was written or proposed at another date or time than expected, whatever else the reply got right; and,
        // where a day and time is expected, an answer that another one is taken ("Friday 17 is busy" to a move to Friday
        // 24): the customer is told about a time they did not ask for, which no "… or ask" makes a clarification.
        var wrongSlot =
            change.Created.Any(e => !(expected.Outcome == Outcome.Booked && e.Start == slot))
            || change.Moved.Any(m => !(expected.Outcome == Outcome.Moved && m.To.Start == slot))
            || (change.None && reply.Available == true
                && !(expected.Outcome is Outcome.Propose or Outcome.ProposeMove && At(reply) == slot))
            || (change.None && reply.Available == false && slot is { } named && SaysOtherThan(reply, named));
        if (wrongSlot) return new TurnVerdict(Verdict.Wrong, true, got);

        var correct = reply.Language == language && expected.Outcome switch
        {
            Outcome.Propose => change.None && reply.Available == true && At(reply) == slot,
            Outcome.ProposeMove => change.None && reply.Available == true && At(reply) == slot && reply.Intent == "reschedule",
            Outcome.Busy => change.None && reply.Available == false && At(reply) == slot,
            Outcome.List => change.None && reply.Available != true && Offered(reply) is { Count: > 0 } offered && offered.All(o => Inside(expected, o)),
            Outcome.Ask => asked,
            Outcome.Name => change.None && reply.Available != true && reply.Intent == "confirm" && reply.Reply.Contains('?'),
            Outcome.Booked => change is { Created.Count: 1, Moved.Count: 0, Removed.Count: 0 } && change.Created[0].Start == slot,
            Outcome.Moved => change is { Created.Count: 0, Moved.Count: 1, Removed.Count: 0 } && change.Moved[0].To.Start == slot,
            Outcome.ConfirmCancel => change.None && reply.Intent == "cancel" && At(reply) == slot && reply.Reply.Contains('?'),
            Outcome.Cancelled => change is { Created.Count: 0, Moved.Count: 0, Removed.Count: 1 },
            Outcome.MyAppointment => change.None && reply.Intent == "my_appointment"
                && (expected.Date is null ? reply.DateIso is null : At(reply) == slot),
            Outcome.Greeting => change.None && reply.Intent == "greeting",
            Outcome.Help => change.None && reply.Intent == "help",
            Outcome.Thanks => change.None && reply.Intent == "thanks",
            Outcome.Declined => change.None && reply.Intent == "decline" && reply.Available != true,
            Outcome.NotUnderstood => change.None && reply.Intent == "other" && reply.Available != true && Offered(reply).Count == 0,
            _ => throw new ArgumentOutOfRangeException(nameof(expected), expected.Outcome, null),
        };
        if (correct) return new TurnVerdict(Verdict.Correct, false, got);
        // Where an answer was expected, a question back may stand in for it only if it offers nothing outside what was
        // asked: times on other days followed by "which one?" are an answer, and a wrong one, not a clarification.
        var clarified = asked && Offered(reply).All(o => expected.Outcome == Outcome.List ? Inside(expected, o) : slot is { } s && o.Date == s.Date);
        return new TurnVerdict(expected.AskAllowed && clarified && reply.Language == language ? Verdict.AcceptableClarification : Verdict.Wrong, false, got);
    }

    /// <summary>
    /// Every free start the reply offers: its <c>offered</c> field, or — from an assistant that does not fill it yet —
    /// the alternatives on the reply's date (which is what they are, except after a closed day).
    /// </summary>
    public static IReadOnlyList<LocalDateTime> Offered(AssistantReply reply)
    {
        if (reply.Offered is { } offered)
            return offered.Select(o => OfferedPattern.Parse(o)).Where(r => r.Success).Select(r => r.Value).ToList();
        if (reply.DateIso is null || LocalDatePattern.Iso.Parse(reply.DateIso) is not { Success: true } date) return [];
        return reply.Alternatives.Select(a => WireTime.Parse(a))
            .Where(r => r.Success).Select(r => date.Value.At(r.Value)).ToList();
    }

    private static LocalDateTime? Slot(Expectation expected) => expected is { Date: { } d, Time: { } t } ? d.At(t) : null;

    private static LocalDateTime? At(AssistantReply reply) =>
        reply.DateIso is { } d && reply.TimeLocal is { } t
        && LocalDatePattern.Iso.Parse(d) is { Success: true } date
        && WireTime.Parse(t) is { Success: true } time
            ? date.Value.At(time.Value)
            : null;

    /// <summary>The reply is about another day than <paramref name="named"/>, or the same day at another time.</summary>
    private static bool SaysOtherThan(AssistantReply reply, LocalDateTime named) =>
        (reply.DateIso is { } d && LocalDatePattern.Iso.Parse(d) is { Success: true } date && date.Value != named.Date)
        || (At(reply) is { } at && at != named);

    private static bool Inside(Expectation list, LocalDateTime start) =>
        start.Date >= list.Date && start.Date <= list.LastDate
        && (list.From is not { } from || (start.TimeOfDay >= from && start.TimeOfDay < list.To!.Value));

    /// <summary>The answer in the corpus's words ("propose 2025-01-16 15:00", "list 2025-01-16 12:00, 13:00", "ask"), then the reply.</summary>
    public static string Describe(AssistantReply reply, CalendarChange change)
    {
        var at = At(reply) is { } s ? $" {Expectation.Iso(s.Date)} {Expectation.Hhmm(s.TimeOfDay)}" : reply.DateIso is { } d ? " " + d : "";
        var offered = Offered(reply);
        var offers = offered.Count == 0 ? "" : " offering " + string.Join(", ", offered.Select(o => OfferedPattern.Format(o)));
        var what = !change.None ? change.ToString()
            : reply.Available == true ? (reply.Intent == "reschedule" ? "propose-move" : "propose") + at
            : reply.Available == false ? "busy" + at + offers
            : offered.Count > 0 ? "list" + offers
            : $"{reply.Intent}{at}";
        return $"{what} [{reply.Language}] \"{reply.Reply}\"";
    }
}
