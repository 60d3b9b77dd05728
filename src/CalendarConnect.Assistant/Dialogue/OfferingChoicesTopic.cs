using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

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
        var offered = topic.Offered;

        // "La primera" or "la de las 11" after "the nearest free times are 11:00 and 16:00": that one, checked and
        // proposed (not booked). A time that is none of them is a new time to check, below.
        if (turn.Parsed.Date is null && offered.Count > 0 && turn.Parsed.Selection is { } selection)
        {
            if (ListPick.Index(selection, offered.Select(o => o.TimeOfDay).ToList()) is { } picked)
                return await Availability.CheckAsync(turn, offered[picked], cancellationToken);
            // "La quinta" of three: say which there are.
            if (selection is SelectionByPosition)
                return new Answer(turn.Reply(ReplyTexts.PickOne(offered, words), intent, offered: offered), state);
        }
        // "The 2nd one", "the 3rd" while times are on offer: a position in the list before a day of the month. One beyond
        // the list is read as the day.
        if (turn.Parsed is { Date: DayOfMonth, Time: null, Range: null, Span: null, Selection: SelectionByPosition position } && offered.Count > 0
            && ListPick.Index(position, offered.Select(o => o.TimeOfDay).ToList()) is { } pickedByDigits)
            return await Availability.CheckAsync(turn, offered[pickedByDigits], cancellationToken);
        if (turn.Parsed.MentionsDateOrTime) return null;

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
