using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>"¿Confirmas que quieres cancelar tu turno…?" was asked: only a plain yes cancels.</summary>
internal static class ConfirmingCancellationTopic
{
    /// <returns>Null when the message names a day or time (a new request) or the appointment is no longer remembered.</returns>
    public static async Task<Answer?> AnswerAsync(DialogueTurn turn, ConfirmingCancellation topic, CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        if (state.Find(topic.EventId) is not { } toCancel) return null;
        var (date, time) = (toCancel.Start.Date, toCancel.Start.TimeOfDay);
        // "Please don't cancel" holds the cancel word too, and any "no" keeps the appointment: looked at before a day or
        // time the message names ("no, mejor decime si hay algo el viernes"), which is then answered as a new request.
        var kept = intent == Intent.Decline || MessageParser.HasNegation(turn.Text);
        if (turn.Parsed.MentionsDateOrTime)
        {
            if (kept) return await KeptAndAnsweredAsync(turn, toCancel, cancellationToken);
            // "Sí, el del jueves": a yes that names the appointment asked about; another day or time is a new request.
            return await ExplicitYes.IsYesNamingAsync(turn, toCancel.Start, cancellationToken)
                ? await Writes.CancelAsync(turn, toCancel, cancellationToken)
                : null;
        }
        // Only a plain yes cancels, or a yes that says "cancel it" ("sí cancelalo", "yes cancel"); never with a "no" in it.
        if (!kept && (ExplicitYes.IsYes(turn.Parsed) || turn.Parsed.ConfirmsCancellation))
            return await Writes.CancelAsync(turn, toCancel, cancellationToken);
        return intent switch
        {
            // "Actually no, keep it": whatever else it says, the answer to the question is a no.
            _ when kept => new Answer(turn.Reply(ReplyTexts.CancelKept(toCancel.Start, words), Intent.Decline, date, time), state.NothingPending()),
            Intent.MyAppointment => Appointments.Listed(turn),
            _ => new Answer(turn.Reply(ReplyTexts.ConfirmCancel(toCancel.Start, words), intent, date, time), state),
        };
    }

    /// <summary>A "no" that goes on to a new request: the appointment stays (said first), the question is closed, and the request is answered.</summary>
    private static async Task<Answer> KeptAndAnsweredAsync(DialogueTurn turn, RememberedAppointment toCancel, CancellationToken cancellationToken)
    {
        var request = await Requests.AnswerAsync(turn with { State = turn.State.NothingPending() }, cancellationToken);
        var text = ReplyTexts.CancelKept(toCancel.Start, turn.Words) + " " + request.Reply.Reply;
        return request with { Reply = request.Reply with { Reply = text } };
    }
}
