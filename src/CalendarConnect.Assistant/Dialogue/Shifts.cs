using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// "Una hora más tarde", "push it back an hour", "adelantala media hora": a time relative to the one being talked about.
/// That is the time proposed (to book, or as a move's new time), else the time discussed among offered ones, else the
/// appointment being moved, the one just booked or the customer's only one (then it is a move). The shifted time is
/// checked and proposed like any other, never written without a yes; "un rato más tarde" says no amount and is asked.
/// </summary>
internal static class Shifts
{
    public static async Task<Answer> AnswerAsync(DialogueTurn turn, TimeShift shift, CancellationToken cancellationToken)
    {
        var state = turn.State;
        if (ReferenceOf(state) is not var (from, moving))
            return new Answer(turn.Reply(ReplyTexts.AskDate(null, turn.Words), turn.Intent), state.NothingPending());

        // What follows is about that appointment's move, or about a new booking on that day.
        var next = moving is not null
            ? state.On(new Moving(moving.EventId), new DiscussedTime(from.Date, from.TimeOfDay))
            : state.On(Idle.Instance, new DiscussedTime(from.Date));
        var intent = moving is not null ? Intent.Reschedule : Intent.CheckAvailability;
        if (shift.SignedMinutes is not { } minutes)
            return new Answer(turn.Reply(ReplyTexts.AskInsteadOf(from, turn.Words), intent, from.Date, from.TimeOfDay), next);

        var shifted = turn with { State = next, Parsed = turn.Parsed with { Intent = intent } };
        return await Availability.CheckAsync(shifted, from.PlusMinutes(minutes), cancellationToken);
    }

    /// <summary>The time the shift is relative to, and the appointment it moves (null for a new booking); null when there is none.</summary>
    private static (LocalDateTime From, RememberedAppointment? Moving)? ReferenceOf(ConversationState state)
    {
        var beingMoved = state.Topic.EventBeingMoved is { } id ? state.Find(id) : null;
        return state.Topic switch
        {
            Proposing p => (p.Proposal.Start.LocalDateTime, beingMoved),
            AwaitingName a => (a.Proposal.Start.LocalDateTime, null),
            // "Mañana a las 3" was busy and the nearest were offered: "¿y una hora más tarde?" is 16:00 that day.
            OfferingChoices when state.Discussed is { Date: { } day, Time: { } time } => (day.At(time), beingMoved),
            _ when beingMoved is not null => (beingMoved.Start, beingMoved),
            Idle { JustBooked: { } just } when state.Find(just) is { } booked => (booked.Start, booked),
            _ when state.Booked is [var only] => (only.Start, only),
            _ => null,
        };
    }
}
