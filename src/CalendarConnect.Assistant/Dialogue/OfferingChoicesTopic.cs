using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// Free times were offered to pick from: "la primera" or "sí" (to a single one) picks one, which is checked and
/// proposed, never booked; "no" drops them. A time alone ("a las 10") is matched against them by the availability check.
/// </summary>
internal static class OfferingChoicesTopic
{
    /// <returns>Null when the message is not about the offered times.</returns>
    public static async Task<Answer?> AnswerAsync(DialogueTurn turn, OfferingChoices topic, CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        if (turn.Parsed.MentionsDateOrTime) return null;
        var offered = topic.Offered;

        // "La primera" after "the nearest free times are 14:00 and 16:00": that one, checked and proposed (not booked).
        if (offered.Count > 0 && MessageParser.Ordinal(turn.Text) is { } position)
        {
            var pick = position == MessageParser.LastOrdinal ? offered[^1] : position <= offered.Count ? offered[position - 1] : (LocalDateTime?)null;
            if (pick is { } picked) return await Availability.CheckAsync(turn, picked, cancellationToken);
        }

        switch (intent)
        {
            case Intent.Confirm when offered.Count == 1:
                // "Sí" to "the nearest free time is 16:00, would that work?": check it and propose it, with its day
                // and time spelled out; booking still needs the yes to that proposal.
                return await Availability.CheckAsync(turn, offered[0], cancellationToken);
            case Intent.Confirm when offered.Count > 1:
                return new Answer(turn.Reply(ReplyTexts.PickOne(offered, words), intent, offered: offered), state);
            case Intent.Decline when topic.MoveEventId is not null && MovingTopic.Answer(turn, new Moving(topic.MoveEventId)) is { } moveDeclined:
                return moveDeclined;
            case Intent.Decline:
                // "No" to "¿te sirve alguno?": nothing was booked; offer to look elsewhere.
                return new Answer(turn.Reply(ReplyTexts.ProposalDeclined(words), intent), state.NothingPending());
            case Intent.Confirm or Intent.Other or Intent.CheckAvailability or Intent.Book when topic.MoveEventId is not null:
                return MovingTopic.Answer(turn, new Moving(topic.MoveEventId));
            default:
                return null;
        }
    }
}
