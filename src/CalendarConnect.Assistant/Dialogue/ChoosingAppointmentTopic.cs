using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// "¿Cuál quieres cambiar/cancelar?" was asked: "el del viernes" or "el primero" names one of the customer's
/// appointments, not a new time.
/// </summary>
internal static class ChoosingAppointmentTopic
{
    /// <returns>Null for a message that is something else (a greeting, "¿cuándo es mi turno?"...): a new request.</returns>
    public static Task<Answer?> AnswerAsync(DialogueTurn turn, ChoosingAppointment topic, CancellationToken cancellationToken) =>
        topic.Action == AppointmentAction.Move ? ToMoveAsync(turn, cancellationToken) : ToCancelAsync(turn, cancellationToken);

    private static async Task<Answer?> ToMoveAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        if (intent is Intent.Decline)
            return new Answer(turn.Reply(ReplyTexts.NothingChanged(words), intent), state.NothingPending());
        if (Appointments.Picked(turn) is { } picked)
            return new Answer(turn.Reply(ReplyTexts.AskNewTime(picked.Start, words), Intent.Reschedule, picked.Start.Date, picked.Start.TimeOfDay),
                Appointments.Moving(state, picked));
        if (turn.Parsed.MentionsDateOrTime && intent is not (Intent.Cancel or Intent.MyAppointment))
            return await Appointments.ChooseToMoveAsync(turn, cancellationToken);
        if (intent is Intent.Other or Intent.Reschedule or Intent.Confirm)
            return new Answer(turn.Reply(ReplyTexts.AskWhichToMove(state.Booked.Select(a => a.Start).Order().ToList(), words), Intent.Reschedule), state);
        return null;
    }

    private static async Task<Answer?> ToCancelAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        if (intent is Intent.Decline)
            return new Answer(turn.Reply(ReplyTexts.NothingChanged(words), intent), state.NothingPending());
        if (Appointments.Picked(turn) is { } picked)
            return new Answer(turn.Reply(ReplyTexts.ConfirmCancel(picked.Start, words), Intent.Cancel, picked.Start.Date, picked.Start.TimeOfDay),
                state.On(new ConfirmingCancellation(picked.EventId)));
        if (turn.Parsed.MentionsDateOrTime && intent is not (Intent.MyAppointment or Intent.Reschedule or Intent.Book))
            return await Appointments.AskToCancelAsync(turn, cancellationToken, choosing: true);
        if (intent is Intent.Other or Intent.Confirm or Intent.Cancel)
            return new Answer(turn.Reply(ReplyTexts.AskWhichToCancel(state.Booked.Select(a => a.Start).Order().ToList(), words), Intent.Cancel), state);
        return null;
    }
}
