using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// Free times over several days: a period the customer named ("next week", "el próximo fin de semana"), or the days
/// other than one they ruled out ("el lunes no me sirve"). A handful are listed and remembered as the offered choices.
/// </summary>
internal static class PeriodListing
{
    /// <summary>How many free times a period's answer lists: enough to choose from, few enough to read on a phone.</summary>
    public const int MaxListed = 5;

    /// <summary>How many days of a period are looked up (one calendar read each); a longer period is sampled evenly.</summary>
    private const int MaxDaysLooked = 14;

    /// <summary>How many other days to offer when the customer rules one out, and how far ahead to look for them.</summary>
    private const int OtherDaysOffered = 3;

    private const int OtherDaysLookAhead = 14;

    /// <summary>A handful of free starts spread over the days of <paramref name="span"/> that match the rest of the message.</summary>
    /// <param name="wanted">Which of a day's free starts the customer wants (a time, a part of the day, a range, none ruled out).</param>
    public static async Task<Answer> ListSpanAsync(DialogueTurn turn, DateSpan span, Func<LocalDateTime, bool> wanted, DiscussedTime discussed,
        RememberedAppointment? move, CancellationToken cancellationToken)
    {
        var (state, intent) = (turn.State, move is null ? turn.Intent : Intent.Reschedule);
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            var words = turn.Knowing(company).Words;
            if (span.Resolve(company.Date) is not var (first, last))
                return new Answer(turn.Reply(ReplyTexts.DateNotRecognised(words), intent), state.On(state.Topic, discussed));
            first = LocalDate.Max(first, company.Date);
            if (last < first)
                return new Answer(turn.Reply(ReplyTexts.DateInPast(last, words), intent, last), state.On(Idle.Instance, discussed));

            // "Any day next week except Monday": the day ruled out is never offered.
            var ruledOut = turn.Parsed.RuledOutDate is null ? null : MessageUnderstanding.Resolve(turn.Parsed, company.Now, turn.Language).RuledOutDate;
            var days = new List<IReadOnlyList<LocalDateTime>>();
            foreach (var day in Sampled(first, last).Where(day => day != ruledOut))
            {
                var free = await FreeAsync(turn, company, day, wanted, cancellationToken);
                if (free.Count > 0) days.Add(free);
            }
            var listed = Spread(days, MaxListed);
            if (listed.Count > 0)
            {
                return new Answer(turn.Reply(ReplyTexts.FreeTimesInSpan(first, last, listed, words), intent, offered: listed),
                    state.On(new OfferingChoices(listed, move?.EventId), discussed));
            }
            var next = (await Availability.NextFreeAsync(turn, company, last.PlusDays(1).AtMidnight(), discussed.Period, Availability.AlternativesOffered + 1,
                cancellationToken)).Where(wanted).ToList();
            return new Answer(turn.Reply(ReplyTexts.SpanFull(first, last, next, words), intent, available: false, offered: next),
                state.On(new OfferingChoices(next, move?.EventId), discussed));
        }
        catch (CalendarUnavailableException ex)
        {
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, turn.Words), intent), state);
        }
        catch (McpServerUnavailableException)
        {
            return new Answer(turn.Reply(ReplyTexts.CalendarUnreachable(turn.Words), intent), state);
        }
    }

    /// <summary>
    /// "El lunes no me sirve": free times on the next days other than <paramref name="ruledOut"/>, one a day (at the
    /// time asked when it is free, else the earliest within the range or part of the day asked), or which day, when none
    /// is found.
    /// </summary>
    /// <param name="asked">The time, range or part of the day asked for: kept for the other days ("entre las 3 y las 6").</param>
    public static async Task<Answer> OtherDaysAsync(DialogueTurn turn, CompanyTime company, LocalDate ruledOut, Func<LocalDateTime, bool> wanted,
        DiscussedTime asked, RememberedAppointment? move, CancellationToken cancellationToken)
    {
        var (state, intent) = (turn.State, move is null ? turn.Intent : Intent.Reschedule);
        var words = turn.Knowing(company).Words;
        bool WithinAsked(LocalDateTime start) =>
            wanted(start) && (asked.Range?.Contains(start.TimeOfDay) ?? true) && (asked.Period?.Contains(start.TimeOfDay) ?? true);
        var others = new List<LocalDateTime>();
        for (var day = company.Date; others.Count < OtherDaysOffered && day < company.Date.PlusDays(OtherDaysLookAhead); day = day.PlusDays(1))
        {
            if (day == ruledOut) continue;
            var free = await FreeAsync(turn, company, day, WithinAsked, cancellationToken);
            if (free.Count == 0) continue;
            others.Add(asked.Time is { } time && free.Any(f => f.TimeOfDay == time) ? day.At(time) : free[0]);
        }
        var about = asked with { Date = null };
        return new Answer(turn.Reply(ReplyTexts.OtherDays(ruledOut, others, words), intent, offered: others),
            state.On(others.Count > 0 ? new OfferingChoices(others, move?.EventId) : move is null ? Idle.Instance : new Moving(move.EventId), about));
    }

    /// <summary>The day's free starts the customer wants, from now on (a listing must not offer a time that has passed).</summary>
    private static async Task<List<LocalDateTime>> FreeAsync(DialogueTurn turn, CompanyTime company, LocalDate day, Func<LocalDateTime, bool> wanted,
        CancellationToken cancellationToken) =>
        (await Availability.FreeStartsAsync(turn, company, day, cancellationToken))
            .Where(s => s.Start.ToInstant() > company.Now.ToInstant())
            .Select(s => s.Start.LocalDateTime)
            .Where(wanted)
            .ToList();

    /// <summary>The days from <paramref name="first"/> to <paramref name="last"/>, at most <see cref="MaxDaysLooked"/> of them, evenly spread.</summary>
    private static IEnumerable<LocalDate> Sampled(LocalDate first, LocalDate last)
    {
        var count = Period.Between(first, last, PeriodUnits.Days).Days + 1;
        if (count <= MaxDaysLooked) return Enumerable.Range(0, count).Select(first.PlusDays);
        return Enumerable.Range(0, MaxDaysLooked).Select(i => first.PlusDays((int)Math.Round(i * (count - 1) / (double)(MaxDaysLooked - 1)))).Distinct();
    }

    /// <summary>
    /// At most <paramref name="max"/> of the days' free starts, spread: over evenly chosen days when there are more days
    /// than places, then as evenly over each day as its share allows (not five on the first day).
    /// </summary>
    internal static List<LocalDateTime> Spread(IReadOnlyList<IReadOnlyList<LocalDateTime>> days, int max)
    {
        var chosen = days.Count <= max || max <= 1
            ? days.Take(Math.Max(max, 0)).ToList()
            : Enumerable.Range(0, max).Select(i => days[(int)Math.Round(i * (days.Count - 1) / (double)(max - 1))]).Distinct().ToList();
        var shares = new int[chosen.Count];
        for (var left = max; left > 0;)
        {
            var given = false;
            for (var i = 0; i < chosen.Count && left > 0; i++)
            {
                if (shares[i] >= chosen[i].Count) continue;
                shares[i]++;
                left--;
                given = true;
            }
            if (!given) break;
        }
        return chosen.SelectMany((day, i) => Evenly(day, shares[i])).ToList();
    }

    private static IEnumerable<LocalDateTime> Evenly(IReadOnlyList<LocalDateTime> day, int count) =>
        count <= 1
            ? day.Take(count)
            : Enumerable.Range(0, count).Select(j => day[(int)Math.Round(j * (day.Count - 1) / (double)(count - 1))]).Distinct();
}
