using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>An appointment is being moved and its new time is missing: "no" keeps it where it is; anything else asks for the time again.</summary>
internal static class MovingTopic
{
    /// <returns>Null when the message names a day or time (checked as the new time), is something else, or the appointment is no longer remembered.</returns>
    public static Answer? Answer(DialogueTurn turn, Moving topic)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        if (turn.Parsed.MentionsDateOrTime || state.Find(topic.EventId) is not { } moving) return null;
        var (date, time) = (moving.Start.Date, moving.Start.TimeOfDay);
        return intent switch
        {
            Intent.Decline => new Answer(turn.Reply(ReplyTexts.MoveDeclined(moving.Start, words), intent, date, time), state.NothingPending()),
            // The new time is still missing: ask for it again rather than drop the move.
            Intent.Confirm or Intent.Other or Intent.CheckAvailability or Intent.Book =>
                new Answer(turn.Reply(ReplyTexts.AskNewTime(moving.Start, words), Intent.Reschedule, date, time), state),
            _ => null,
        };
    }
}
