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
        var offered = topic.Offered;

        // "The tuesday one", "el del miércoles" after times on several days: the one offered on that weekday; which of
        // them, when it has several. A weekday with none offered is a new day to check, below.
        if (turn.Parsed is { Selection: SelectionByDay, Date: NextWeekday { Day: var weekday }, Time: null, Range: null, Span: null } && offered.Count > 0
            && offered.Where(o => o.DayOfWeek == weekday).ToList() is { Count: > 0 } onThatDay)
            return onThatDay is [var onlyOne]
                ? await Availability.CheckAsync(turn, onlyOne, cancellationToken)
                : new Answer(turn.Reply(ReplyTexts.PickOne(onThatDay, words), intent, offered: onThatDay), state.On(topic with { Offered = onThatDay }, state.Discussed));
        // "La primera" or "la de las 11" after "the nearest free times are 11:00 and 16:00": that one, checked and
        // proposed (not booked). A time that is none of them is a new time to check, below.
        if (turn.Parsed.Date is null && offered.Count > 0 && turn.Parsed.Selection is { } selection)
        {
            if (ListPick.Index(selection, offered.Select(o => o.TimeOfDay).ToList()) is { } picked)
                return await Availability.CheckAsync(turn, offered[picked], cancellationToken);
            // "11" or "la de las 11" offered on several days, or on none of them.
            if (selection is SelectionByTime byTime)
                return await AtTimeAsync(turn, topic, byTime.Time, byTime.MeridiemAssumed, cancellationToken);
            // "La quinta" of three, "that one" of several: say which there are.
            return new Answer(turn.Reply(ReplyTexts.PickOne(offered, words), intent, offered: offered), state);
        }
        // "The 2nd one", "the 3rd" while times are on offer: a position in the list before a day of the month. One beyond
        // the list is read as the day.
        if (turn.Parsed is { Date: DayOfMonth, Time: null, Range: null, Span: null, Selection: SelectionByPosition position } && offered.Count > 0
            && ListPick.Index(position, offered.Select(o => o.TimeOfDay).ToList()) is { } pickedByDigits)
            return await Availability.CheckAsync(turn, offered[pickedByDigits], cancellationToken);
        // "A las 3 mejor": a time alone is one of the offered ones, or asked about on the day discussed.
        if (turn.Parsed is { Date: null, Span: null, Range: null, Soonest: false, RuledOutDate: null, Time: { } time } && offered.Count > 0)
            return await AtTimeAsync(turn, topic, time, turn.Parsed.MeridiemAssumed, cancellationToken);
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

    /// <summary>
    /// A time named with no day after free times were offered: the offered time at that hour (of the only day that has
    /// it); which day, when several have it; when none has it, the day discussed (or the offer's only day) is checked at
    /// that time, or, when the offer spanned several days, the customer hears that it was not offered and what was.
    /// </summary>
    private static async Task<Answer> AtTimeAsync(DialogueTurn turn, OfferingChoices topic, LocalTime time, bool assumed, CancellationToken cancellationToken)
    {
        var (state, words) = (turn.State, turn.Words);
        var matches = topic.Offered.Where(o => o.TimeOfDay == time || (assumed && o.TimeOfDay == time.PlusHours(12))).Distinct().Order().ToList();
        if (matches is [var only]) return await Availability.CheckAsync(turn, only, cancellationToken);
        if (matches.Count > 1)
            return new Answer(turn.Reply(ReplyTexts.PickOne(matches, words), turn.Intent, offered: matches),
                state.On(topic with { Offered = matches }, new DiscussedTime(Time: matches[0].TimeOfDay)));
        // The day discussed, or the one day every offered time is on ("the next free times are today at 12, 13 and 14").
        var day = state.Discussed.Date ?? (topic.Offered.Select(o => o.Date).Distinct().ToList() is [var onlyDay] ? onlyDay : null);
        if (day is { } onDay)
        {
            var asTime = turn with
            {
                Parsed = turn.Parsed with { Time = time, MeridiemAssumed = assumed, Selection = null },
                State = state with { Discussed = state.Discussed with { Date = onDay } },
            };
            return await Availability.CheckAsync(asTime, null, cancellationToken);
        }
        return new Answer(turn.Reply(ReplyTexts.NotOffered(time, topic.Offered, words), turn.Intent, time: time, available: false, offered: topic.Offered),
            state.On(topic, new DiscussedTime(Time: time, TimeAmbiguous: assumed)));
    }
}
