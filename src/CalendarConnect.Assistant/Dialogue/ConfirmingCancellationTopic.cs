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
        if (turn.Parsed.MentionsDateOrTime || state.Find(topic.EventId) is not { } toCancel) return null;
        var (date, time) = (toCancel.Start.Date, toCancel.Start.TimeOfDay);
        // Only a plain yes cancels.
        if (ExplicitYes.IsYes(turn.Parsed)) return await Writes.CancelAsync(turn, toCancel, cancellationToken);
        return intent switch
        {
            // "Please don't cancel" holds the cancel word too, and any "no" keeps the appointment.
            _ when intent == Intent.Decline || MessageParser.HasNegation(turn.Text) =>
                new Answer(turn.Reply(ReplyTexts.CancelKept(toCancel.Start, words), intent, date, time), state.NothingPending()),
            Intent.MyAppointment => Appointments.Listed(turn),
            _ => new Answer(turn.Reply(ReplyTexts.ConfirmCancel(toCancel.Start, words), intent, date, time), state),
        };
    }
}
