using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// A message that answers no question the assistant asked: a new request (cancel, "mi turno", move, a day or time to
/// check), a pick from the times just offered, or small talk. The handler of the idle topic, and of whatever the other
/// topics leave.
/// </summary>
internal static class Requests
{
    public static async Task<Answer> AnswerAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        var (parsed, intent) = (turn.Parsed, turn.Intent);

        // "Cancelar mi turno del jueves" names a day, but it is about the booking, not about a free time.
        if (intent == Intent.Cancel) return await Appointments.AskToCancelAsync(turn, cancellationToken);
        if (intent == Intent.MyAppointment) return Appointments.Listed(turn);
        // "Actually make it 12" while a new booking is proposed: the proposal changes, whatever is booked already; only
        // a message that names the appointment it changes ("mi turno del jueves al viernes") is about a booked one.
        var changingProposal = turn.State.Topic is Proposing { MoveEventId: null } or AwaitingName
            && parsed is { MentionsDateOrTime: true, MovedDate: null };
        if ((intent == Intent.Reschedule && !changingProposal) || ChangesJustBooked(turn))
        {
            var (started, target) = await Appointments.StartMoveAsync(turn, cancellationToken);
            // "Cambiar mi turno al viernes a las 10" goes on to check Friday at 10 as the new time.
            if (target is null || !parsed.MentionsDateOrTime) return started;
            turn = turn with { State = started.Next };
        }

        // "Quiero reservar otro turno el lunes" while a move was being discussed: a new booking, not the move.
        if (intent == Intent.Book && turn.State.Topic.EventBeingMoved is not null)
            turn = turn with { State = turn.State.NothingPending() };

        var followUp = turn.State.Topic switch
        {
            OfferingChoices topic => await OfferingChoicesTopic.AnswerAsync(turn, topic, cancellationToken),
            Moving topic => MovingTopic.Answer(turn, topic),
            _ => null,
        };
        if (followUp is { } answer) return answer;

        return parsed.MentionsDateOrTime
            ? await Availability.CheckAsync(turn, null, cancellationToken)
            : WithoutDateOrTime(turn);
    }

    /// <summary>
    /// "¿Y si mejor a las 14?", "actually can I come at 10 instead?" right after a booking: a time alone, with no day and
    /// no word of a new booking, is about the appointment just booked (it is proposed as a move, which needs a yes).
    /// "Can we do Wednesday instead" names a day alone in place of the booked one: the same move, keeping its time.
    /// </summary>
    /// <remarks>
    /// A day and time said in place of the booked one ("can we do monday at 10 instead", "mejor para el martes a la misma
    /// hora") or with a word that moves ("¿se puede cambiar al lunes a las 9?") is that move too; without either it is a
    /// new booking ("¿y el lunes a las 9 también?").
    /// </remarks>
    private static bool ChangesJustBooked(DialogueTurn turn) =>
        turn.State.Topic is Idle { JustBooked: not null }
        && turn.Intent is Intent.CheckAvailability or Intent.Other
        && (turn.Parsed is { Time: not null, Date: null, Span: null, Range: null, Soonest: false }
            || (turn.Parsed is { Date: not null, Span: null, Range: null, Soonest: false, RuledOutDate: null, Alternatives: null }
                && (turn.Parsed is { Time: null, Period: null } || turn.Parsed.Time is not null)
                && (MessageParser.SaysInstead(turn.Text) || MessageParser.HasMoveWord(turn.Text))));

    /// <summary>A message that names no day or time, with no offered times or move to relate it to.</summary>
    private static Answer WithoutDateOrTime(DialogueTurn turn)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        switch (intent)
        {
            case Intent.Greeting:
                return new Answer(turn.Reply(ReplyTexts.Greeting(words), intent), state.NothingPending());
            case Intent.Help:
                return new Answer(turn.Reply(ReplyTexts.Help(words), intent), state);
            case Intent.Thanks:
                return new Answer(turn.Reply(ReplyTexts.Thanks(words), intent), state);
            case Intent.Decline when state.Discussed.Date is not null:
                // "No" to "¿te sirve alguno?": nothing was booked; offer to look elsewhere.
                return new Answer(turn.Reply(ReplyTexts.ProposalDeclined(words), intent), state.NothingPending());
            case Intent.Decline:
                return new Answer(turn.Reply(ReplyTexts.Okay(words), intent), state.NothingPending());
            case Intent.Confirm when state.Booked.Count > 0:
                // A second "sí" after the booking (say the first answer was slow to arrive): say what is booked.
                var last = state.Booked[^1].Start;
                return new Answer(turn.Reply(ReplyTexts.AlreadyBooked(last, words), intent, last.Date, last.TimeOfDay), state);
            case Intent.Book or Intent.CheckAvailability or Intent.Confirm:
                // "Sí" with nothing pending answers "¿quieres buscar otro día?": which one, then.
                return new Answer(turn.Reply(ReplyTexts.AskDate(null, words), intent), state.NothingPending());
            default:
                return new Answer(turn.Reply(ReplyTexts.Fallback(words), Intent.Other), state);
        }
    }
}
