using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>A free time was proposed (to book, or to move an appointment to): a yes goes on, a no drops it, anything else asks again.</summary>
internal static class ProposingTopic
{
    /// <returns>Null when the message names a day or time: a new request, checked in its turn.</returns>
    public static async Task<Answer?> AnswerAsync(DialogueTurn turn, Proposing topic, CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        // "No actually the earlier one", "no, mejor la otra": another pick from the times the proposal was picked from.
        if (turn.Parsed.Selection is { } pickAgain && topic.PickedFrom is { Count: > 1 } pickedFrom
            && IndexOf(pickedFrom, topic.Proposal.Start.LocalDateTime) is var current
            && ListPick.Index(pickAgain, pickedFrom.Select(o => o.TimeOfDay).ToList(), current) is { } other && other != current)
            return await Availability.CheckAsync(turn, pickedFrom[other], cancellationToken);
        // "Yes 3pm works" to a 3 pm proposal is a yes to it; any other day or time is a new request, checked in its turn.
        var yesNaming = turn.Parsed.MentionsDateOrTime && await ExplicitYes.IsYesNamingAsync(turn, topic.Proposal.Start.LocalDateTime, cancellationToken);
        if (turn.Parsed.MentionsDateOrTime && !yesNaming) return null;
        // "Ok gracias, chau": goodbye is no yes; the proposal closes, nothing written.
        if (turn.Parsed.Farewell) return new Answer(turn.Reply(ReplyTexts.FarewellNothingWritten(words), intent), state.NothingPending());
        if (topic.MoveEventId is { } moveId)
        {
            if (state.Find(moveId) is { } moving) return await AnswerMoveAsync(turn, topic.Proposal, moving, yesNaming, cancellationToken);
            // The appointment being moved is no longer remembered: a yes to that move must never become a new booking.
            return new Answer(turn.Reply(state.Booked.Count == 0 && intent != Intent.Decline ? ReplyTexts.NoAppointmentToMove(words) : ReplyTexts.NothingChanged(words),
                intent), state.NothingPending());
        }

        var proposal = topic.Proposal;
        var start = proposal.Start.LocalDateTime;
        if (intent is Intent.Decline or Intent.Cancel)
            return new Answer(turn.Reply(ReplyTexts.ProposalDeclined(words), intent), state.NothingPending());
        if (intent == Intent.MyAppointment) return Appointments.Listed(turn);
        // "Yes, name is Paul Walker": the yes is explicit and the name is given, so nothing is left to ask.
        if (ExplicitYes.NameWithYes(topic, turn.Parsed, turn.Text) is { } named) return await Writes.BookAsync(turn, proposal, named, cancellationToken);
        if (yesNaming || ExplicitYes.IsYes(turn.Parsed))
        {
            if (state.PersonName is { } known) return await Writes.BookAsync(turn, proposal, known, cancellationToken);
            // "Yes, tomorrow" to tomorrow's proposal is a yes like "sí": the reply says so, whatever the day made the parser read.
            return new Answer(turn.Reply(ReplyTexts.AskName(words), Intent.Confirm, start.Date, start.TimeOfDay), state with { Topic = new AwaitingName(proposal) });
        }
        // Anything else leaves the proposal open: nothing is booked without an explicit yes, nor dropped without a no.
        return new Answer(turn.Reply(ReplyTexts.ConfirmPending(start, words), intent, start.Date, start.TimeOfDay), state);
    }

    private static int? IndexOf(IReadOnlyList<LocalDateTime> times, LocalDateTime time)
    {
        for (var i = 0; i < times.Count; i++)
            if (times[i] == time) return i;
        return null;
    }

    /// <summary>The customer was asked to confirm moving <paramref name="moving"/> to <paramref name="proposal"/>.</summary>
    /// <param name="yesNaming">The message is a yes that names the proposed day or time ("sí, el lunes a las 10").</param>
    private static async Task<Answer> AnswerMoveAsync(DialogueTurn turn, ProposedAppointment proposal, RememberedAppointment moving, bool yesNaming,
        CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        var to = proposal.Start.LocalDateTime;
        if (yesNaming || ExplicitYes.IsYes(turn.Parsed)) return await Writes.MoveAsync(turn, proposal, moving, cancellationToken);
        return intent switch
        {
            Intent.Decline or Intent.Cancel => new Answer(turn.Reply(ReplyTexts.MoveDeclined(moving.Start, words), intent, moving.Start.Date, moving.Start.TimeOfDay),
                state.NothingPending()),
            Intent.MyAppointment => Appointments.Listed(turn),
            _ => new Answer(turn.Reply(ReplyTexts.ConfirmMovePending(moving.Start, to, words), Intent.Reschedule, to.Date, to.TimeOfDay), state),
        };
    }
}
