using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>Looks up what the customer asked for in the company's calendar and proposes it when free; never books.</summary>
internal static class Availability
{
    /// <summary>How many free times to offer when the requested one is taken.</summary>
    public const int AlternativesOffered = 2;

    /// <summary>How many of the next free times to list for "lo antes posible".</summary>
    private const int SoonestOffered = 3;

    /// <summary>
    /// Looks up the day and time the customer named (or <paramref name="chosen"/>, an offered time they picked) and
    /// proposes it when free; otherwise says why not and offers the nearest free times. Never books.
    /// </summary>
    public static async Task<Answer> CheckAsync(DialogueTurn turn, LocalDateTime? chosen, CancellationToken cancellationToken)
    {
        var (parsed, state, intent) = (turn.Parsed, turn.State, turn.Intent);
        var discussed = state.Discussed;
        var move = state.Topic.EventBeingMoved is { } moveId ? state.Find(moveId) : null;
        if (move is not null) intent = Intent.Reschedule;

        // A time picked from the offered ones keeps them at hand while it is proposed: "no, the other one" picks again.
        var pickedFrom = chosen is { } picked
            ? state.Topic switch
            {
                OfferingChoices { Offered: var shown } when shown.Contains(picked) => shown,
                Proposing { PickedFrom: { } before } when before.Contains(picked) => before,
                _ => null,
            }
            : null;

        // Whatever is asked next, an appointment being moved stays the one being moved.
        ConversationState Next(DiscussedTime? about = null, ProposedAppointment? proposal = null, IReadOnlyList<LocalDateTime>? offered = null) =>
            state.On(proposal is not null ? new Proposing(proposal, move?.EventId, pickedFrom)
                : offered is not null ? new OfferingChoices(offered, move?.EventId)
                : move is not null ? new Moving(move.EventId)
                : Idle.Instance, about);

        var chosenDate = chosen?.Date;
        var time = chosen?.TimeOfDay ?? parsed.Time;
        var assumed = chosen is null && parsed.MeridiemAssumed;
        if (chosen is null && time is null && parsed.Period is { } answer && discussed is { TimeAmbiguous: true, Time: { } pending })
        {
            // "De la tarde" answers "¿a las 9 de la mañana o de la noche?".
            time = answer.Contains(pending) ? pending : pending.PlusHours(12);
        }
        else if (chosen is null && time is null && parsed.Date is not null && parsed.Period is null && discussed.Time is { } kept)
        {
            // A follow-up names only what changes: "¿y el viernes?" keeps the hour.
            time = kept;
            assumed = discussed.TimeAmbiguous;
        }
        // A time ruled out in this message ("not at 3, at 4?") is never the one checked.
        if (chosen is null && time is not null && time == parsed.RuledOutTime) (time, assumed) = (null, false);
        // "Entre las 3 y las 6": the free starts inside; "¿y el viernes?" after it asks for Friday within the same range.
        var range = chosen is not null || time is not null ? null
            : parsed.Range ?? (parsed.Date is not null && parsed.Period is null ? discussed.Range : null);
        // "¿Y el viernes?" after the afternoon's free times asks for Friday afternoon.
        var period = time is not null || range is not null ? null
            : parsed.Period ?? (chosen is null && parsed.Date is not null ? discussed.Period : null);

        // "A las 10" after "the nearest free times are Monday at 10:00 and 11:00" means that Monday.
        if (chosen is null && parsed.Date is null && time is { } said && state.Topic is OfferingChoices { Offered.Count: > 0 } offering
            && offering.Offered.Where(o => o.TimeOfDay == said || (assumed && o.TimeOfDay == said.PlusHours(12))).ToList() is [var match])
        {
            (chosenDate, time, assumed) = (match.Date, match.TimeOfDay, false);
        }

        if (chosen is null && parsed.Soonest)
            return await SoonestAsync(turn, move, period, cancellationToken);

        // "Next week", "el próximo fin de semana": a handful of free times over those days.
        if (chosen is null && parsed.Date is null && parsed.Span is { } span)
        {
            bool Wanted(LocalDateTime start) =>
                (time is not { } at || start.TimeOfDay == at || (assumed && start.TimeOfDay == at.PlusHours(12)))
                && (range?.Contains(start.TimeOfDay) ?? true) && (period?.Contains(start.TimeOfDay) ?? true) && start.TimeOfDay != parsed.RuledOutTime;
            return await PeriodListing.ListSpanAsync(turn, span, Wanted, new DiscussedTime(Time: time, Period: period, TimeAmbiguous: assumed, Range: range),
                move, cancellationToken);
        }

        // "¿Y a las 4?" after a proposal keeps the proposed day.
        var proposedDate = state.Topic switch { Proposing p => p.Proposal.Date, AwaitingName a => a.Proposal.Date, _ => (LocalDate?)null };
        if (chosenDate is null && parsed.Date is null && discussed.Date is null && proposedDate is null && !(parsed.Alternatives?.Any(a => a.Date is not null) ?? false))
        {
            var question = range is { } asked ? ReplyTexts.AskDateForRange(asked, turn.Words) : ReplyTexts.AskDate(time, turn.Words);
            return new Answer(turn.Reply(question, intent, time: time),
                Next(new DiscussedTime(Time: time, Period: period, TimeAmbiguous: assumed, Range: range)));
        }

        try
        {
            var companyCalendar = turn.Calendar;
            var company = await companyCalendar.GetCurrentTimeAsync(cancellationToken);
            var words = turn.Knowing(company).Words;
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, turn.Language);
            // "El viernes 5" read with the company's date: the 5 was the hour (MessageUnderstanding.Resolve).
            if (chosen is null && time is null && range is null && understood.Time is { } hourRead) (time, assumed) = (hourRead, understood.MeridiemAssumed);
            // "Thursday at 10 or friday at 2": which one, never the first taken for the customer; either can then be picked.
            if (chosen is null && understood.Alternatives is { Count: > 1 } eitherOf)
            {
                var slots = eitherOf.Select(a => (Date: a.Date ?? discussed.Date ?? proposedDate!.Value, a.Time)).ToList();
                return new Answer(turn.Reply(ReplyTexts.AskWhichAlternative(slots, words), intent),
                    Next(offered: slots.All(s => s.Time is not null) ? slots.Select(s => s.Date.At(s.Time!.Value)).ToList() : null));
            }
            if (chosenDate is null && understood.DateChoices is { Count: > 1 } choices)
                return new Answer(turn.Reply(ReplyTexts.AskWhichDate(choices, words), intent, time: time), Next(new DiscussedTime(Time: time, TimeAmbiguous: assumed)));
            if (chosenDate is null && understood.DateUnrecognised)
                return new Answer(turn.Reply(ReplyTexts.DateNotRecognised(words), intent, time: time), Next(new DiscussedTime(Time: time)));
            // "El jueves" after free times of next week were listed may mean this Thursday or the listed week's. It is the
            // listed week's when that day was listed with the time named (or any, when none is named): a pick from the
            // list. When that weekday falls within the listed days otherwise, it is asked, never guessed.
            if (chosenDate is null && parsed.Date is NextWeekday { TodayCounts: false } weekday && understood.Date is { } coming
                && state.Topic is OfferingChoices { Offered.Count: > 0 } shown
                && shown.Offered.Min(o => o.Date) is var firstListed && coming < firstListed
                && (firstListed.DayOfWeek == weekday.Day ? firstListed : firstListed.Next(weekday.Day)) is var inListed
                && inListed <= shown.Offered.Max(o => o.Date))
            {
                var listedThere = shown.Offered.Where(o => o.Date == inListed
                    && (time is not { } at || o.TimeOfDay == at || (assumed && o.TimeOfDay == at.PlusHours(12)))).ToList();
                if (listedThere.Count == 0 || (time is not null && listedThere.Count > 1))
                    return new Answer(turn.Reply(ReplyTexts.AskWhichDate([coming, inListed], words), intent, time: time),
                        Next(new DiscussedTime(Time: time, Period: period, TimeAmbiguous: assumed, Range: range)));
                chosenDate = inListed;
                if (time is not null) (time, assumed) = (listedThere[0].TimeOfDay, false);
            }
            // "Pasala al viernes" for an appointment on Thursday 23, or "what about thursday" to a proposal for Wednesday 22:
            // this coming weekday (the 17th, the 16th) lies in an earlier week than the day under discussion, whose own week
            // has that weekday too (the 24th, the 23rd). Asked, never guessed. The day under discussion is the proposal's
            // when one is on the table, else the appointment's being moved; moving to the appointment's own day is no change.
            if (chosenDate is null && (proposedDate ?? move?.Start.Date) is { } underDiscussion
                && parsed.Date is NextWeekday { TodayCounts: false } weekdayAlone && understood.Date is { } comingDay
                && MondayOf(comingDay) < MondayOf(underDiscussion)
                && MondayOf(underDiscussion).PlusDays((int)weekdayAlone.Day - 1) is var inDiscussedWeek && inDiscussedWeek != move?.Start.Date)
                return new Answer(turn.Reply(ReplyTexts.AskWhichDate([comingDay, inDiscussedWeek], words), intent, time: time),
                    Next(new DiscussedTime(Time: time, Period: period, TimeAmbiguous: assumed, Range: range)));
            var date = chosenDate ?? understood.Date ?? discussed.Date ?? proposedDate!.Value;
            var today = company.Date;

            if (date < today)
                return new Answer(turn.Reply(ReplyTexts.DateInPast(date, words), intent, date, time), Next(new DiscussedTime(Time: time)));

            // The day the customer just ruled out is never proposed, even when it is the one being discussed.
            var ruledOut = understood.RuledOutDate;
            bool Offerable(LocalDateTime start) => start.Date != ruledOut && start.TimeOfDay != parsed.RuledOutTime;
            if (chosen is null && date == ruledOut)
            {
                // The range or part of the day asked for (in this message or before it) holds for the other days too.
                var asked = time is not null
                    ? new DiscussedTime(Time: time, TimeAmbiguous: assumed)
                    : new DiscussedTime(Period: period ?? discussed.Period, Range: range ?? discussed.Range);
                return await PeriodListing.OtherDaysAsync(turn, company, date, Offerable, asked, move, cancellationToken);
            }

            var free = await FreeStartsAsync(turn, company, date, cancellationToken);
            var freeStarts = free.Select(s => s.Start.TimeOfDay).ToList();

            if (time is null && range is { } within)
            {
                var inRange = freeStarts.Where(within.Contains).Where(t => Offerable(date.At(t))).ToList();
                var listedInRange = inRange.Select(date.At).ToList();
                if (inRange.Count > 0)
                    return new Answer(turn.Reply(ReplyTexts.FreeTimesInRange(date, within, inRange, words), intent, date, null, null, inRange, listedInRange),
                        Next(new DiscussedTime(date, Range: within), offered: listedInRange));
                // Nothing inside: the free starts nearest to the range, that day or the next ones (never its end, which the customer excluded).
                var nearest = await NearestToRangeAsync(turn, company, date, within, freeStarts, Offerable, cancellationToken);
                return new Answer(turn.Reply(ReplyTexts.NoneInRange(date, within, nearest, words), intent, date, null, false,
                        nearest.Where(n => n.Date == date).Select(n => n.TimeOfDay).ToList(), nearest),
                    Next(new DiscussedTime(date, Range: within), offered: nearest));
            }

            // "Mañana a primera hora": the day's first free time (in the part of the day named), proposed as if it was named.
            if (time is null && range is null && chosen is null && parsed.FirstThing
                && (period is { } early ? freeStarts.Where(t => early.Contains(t)) : freeStarts).Where(t => Offerable(date.At(t))).ToList() is [var earliest, ..])
                (time, assumed) = (earliest, false);

            if (time is not { } requested)
            {
                var inPeriod = (period is { } p ? freeStarts.Where(t => p.Contains(t)) : freeStarts).Where(t => Offerable(date.At(t))).ToList();
                if (inPeriod.Count > 0)
                {
                    var text = period is { } named
                        ? ReplyTexts.FreeTimesInPeriod(date, named, inPeriod, words)
                        : ReplyTexts.FreeTimesOfDay(date, inPeriod, words);
                    // The day's free times are offered to pick from too: "la de las 11" or "the second one".
                    var listed = inPeriod.Select(date.At).ToList();
                    return new Answer(turn.Reply(text, intent, date, null, null, inPeriod, listed),
                        Next(new DiscussedTime(date, Period: period), offered: listed));
                }
                // Closed, full, or nothing in that part of the day: the next free times, from the calendar.
                var next = (await NextFreeAsync(turn, company, date.AtMidnight(), period, AlternativesOffered + 1, cancellationToken)).Where(Offerable).ToList();
                return new Answer(turn.Reply(ReplyTexts.DayFull(date, period, next, words), intent, date, null, false, offered: next),
                    Next(new DiscussedTime(date, Period: period), offered: next));
            }

            if (assumed && free.Count > 0)
            {
                // "A las 9" could be 09:00 or 21:00: keep the reading that falls within the company's day (from its
                // first free start to its last free end); when both do, ask rather than guess.
                var opens = freeStarts[0];
                var closes = free.Max(s => s.End.Date == date ? s.End.TimeOfDay : LocalTime.MaxValue);
                bool Within(LocalTime t) => freeStarts.Contains(t) || (t >= opens && t < closes);
                var other = requested.PlusHours(12);
                if (Within(requested) && Within(other))
                {
                    var (morning, evening) = requested < other ? (requested, other) : (other, requested);
                    return new Answer(turn.Reply(ReplyTexts.AskMeridiem(morning, evening, words), intent, date),
                        Next(new DiscussedTime(date, requested, TimeAmbiguous: true)));
                }
                if (!Within(requested) && Within(other)) requested = other;
            }

            var wanted = date.At(requested);
            if (date == today && requested <= company.Now.TimeOfDay)
                // A time that has passed is not available, as a taken one is not.
                return new Answer(turn.Reply(ReplyTexts.TimeInPast(date, requested, words), intent, date, requested, false), Next(new DiscussedTime(date)));

            if (move is not null && move.Start == wanted)
                return new Answer(turn.Reply(ReplyTexts.AlreadyAt(move.Start, words), intent, date, requested), Next());

            if (free.FirstOrDefault(s => s.Start.TimeOfDay == requested) is { Start: var slotStart, End: var slotEnd } && slotStart.Date == date)
            {
                var minutes = (int)(slotEnd.ToInstant() - slotStart.ToInstant()).TotalMinutes;
                var proposal = new ProposedAppointment(slotStart.ToOffsetDateTime(), minutes);
                var text = move is null
                    ? ReplyTexts.Available(wanted, words)
                    : ReplyTexts.ProposeMove(move.Start, wanted, words);
                // When the clocks go back, 01:30 happens twice: say which one the yes would book.
                if (company.Zone.MapLocal(wanted) is { Count: 2 } twice)
                    text += ReplyTexts.WhichOfTwice(requested, slotStart.Offset, slotStart.Offset == twice.First().Offset, words);
                return new Answer(turn.Reply(text, intent, date, requested, true), Next(new DiscussedTime(date, requested), proposal));
            }

            var sameDayNearest = freeStarts
                .Where(t => Offerable(date.At(t)))
                .OrderBy(t => Math.Abs(Period.Between(requested, t, PeriodUnits.Minutes).Minutes))
                .ThenBy(t => t)
                .Take(AlternativesOffered)
                .Order()
                .ToList();

            // Slots are whole hours unless the company set otherwise. When every free start of the day is on the
            // hour, 15:30 is not "busy" but never bookable: say so, and offer the hours around it.
            if (requested.Minute != 0 && freeStarts.Count > 0 && freeStarts.All(t => t.Minute == 0))
            {
                return new Answer(turn.Reply(ReplyTexts.StartsOnTheHour(date, requested, sameDayNearest, words), intent, date, requested, false, sameDayNearest,
                        sameDayNearest.Select(date.At).ToList()),
                    Next(new DiscussedTime(date, requested), offered: sameDayNearest.Select(date.At).ToList()));
            }

            var alternatives = await AlternativesAsync(turn, company, wanted, freeStarts.Select(date.At).Where(Offerable), Offerable, cancellationToken);
            var sameDay = alternatives.Where(a => a.Date == date).Select(a => a.TimeOfDay).ToList();
            return new Answer(turn.Reply(ReplyTexts.NotAvailable(wanted, alternatives, words), intent, date, requested, false, sameDay, alternatives),
                Next(new DiscussedTime(date, requested), offered: alternatives));
        }
        catch (CalendarUnavailableException ex)
        {
            // The server's message is for the operator (the adapter logged it); the customer hears what the code means.
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, turn.Words), intent, time: time), state);
        }
        catch (McpServerUnavailableException)
        {
            // The adapter has already logged the cause; the customer only needs to know to try again later.
            return new Answer(turn.Reply(ReplyTexts.CalendarUnreachable(turn.Words), intent, time: time), state);
        }
    }

    /// <summary>
    /// A message that only rules something out: "el lunes no me sirve" offers other days; "a las 3 no puedo" lists the
    /// discussed day's other free times (or asks which day, when none is discussed).
    /// </summary>
    public static async Task<Answer> RuledOutAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        var (parsed, state) = (turn.Parsed, turn.State);
        var move = state.Topic.EventBeingMoved is { } moveId ? state.Find(moveId) : null;
        if (parsed.RuledOutDate is null) return await CheckAsync(turn, null, cancellationToken);
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            if (MessageUnderstanding.Resolve(parsed, company.Now, turn.Language).RuledOutDate is not { } ruledOut)
                return await CheckAsync(turn, null, cancellationToken);
            return await PeriodListing.OtherDaysAsync(turn, company, ruledOut, start => start.TimeOfDay != parsed.RuledOutTime, state.Discussed with { Date = null },
                move, cancellationToken);
        }
        catch (CalendarUnavailableException ex)
        {
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, turn.Words), turn.Intent), state);
        }
        catch (McpServerUnavailableException)
        {
            return new Answer(turn.Reply(ReplyTexts.CalendarUnreachable(turn.Words), turn.Intent), state);
        }
    }

    /// <summary>"¿Cuándo es el próximo turno libre?": the next free times from now (find_next_available_slots), offered to pick from.</summary>
    /// <summary>The Monday of <paramref name="day"/>'s week (weeks run Monday to Sunday, as in <see cref="WeekdayInWeeks"/>).</summary>
    private static LocalDate MondayOf(LocalDate day) => day.PlusDays(1 - (int)day.DayOfWeek);

    private static async Task<Answer> SoonestAsync(DialogueTurn turn, RememberedAppointment? move, PartOfDay? period, CancellationToken cancellationToken)
    {
        var (state, intent) = (turn.State, turn.Intent);
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            var words = turn.Knowing(company).Words;
            var next = await turn.Calendar.FindNextAvailableSlotsAsync(company.Now.LocalDateTime, SoonestOffered, period, cancellationToken);
            var starts = next.Select(s => s.Start.ToInstant().InZone(company.Zone).LocalDateTime).ToList();
            return new Answer(turn.Reply(ReplyTexts.NextFreeTimes(starts, words), intent, starts.Count > 0 ? starts[0].Date : null, offered: starts),
                state.On(new OfferingChoices(starts, move?.EventId)));
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
    /// The nearest free starts to <paramref name="wanted"/>: the day's own free starts and the next ones the calendar
    /// finds (find_next_available_slots, which crosses into the following days), closest first, then in time order.
    /// </summary>
    private static async Task<IReadOnlyList<LocalDateTime>> AlternativesAsync(DialogueTurn turn, CompanyTime company, LocalDateTime wanted,
        IEnumerable<LocalDateTime> sameDay, Func<LocalDateTime, bool> offerable, CancellationToken cancellationToken)
    {
        var candidates = sameDay.ToList();
        candidates.AddRange(await NextFreeAsync(turn, company, wanted, null, AlternativesOffered + 1, cancellationToken));
        return candidates.Distinct()
            .Where(c => c != wanted && offerable(c))
            .OrderBy(c => Math.Abs(Period.Between(wanted, c, PeriodUnits.Minutes).Minutes))
            .ThenBy(c => c)
            .Take(AlternativesOffered)
            .Order()
            .ToList();
    }

    /// <summary>
    /// find_next_available_slots from <paramref name="from"/>, as local times of the company. Alternatives are a help on
    /// top of an answer already given, so a failure here leaves them out rather than turning the answer into an error.
    /// </summary>
    internal static async Task<IReadOnlyList<LocalDateTime>> NextFreeAsync(DialogueTurn turn, CompanyTime company, LocalDateTime from,
        PartOfDay? period, int count, CancellationToken cancellationToken)
    {
        try
        {
            var slots = await turn.Calendar.FindNextAvailableSlotsAsync(from, count, period, cancellationToken);
            return slots.Select(s => s.Start.ToInstant().InZone(company.Zone).LocalDateTime).ToList();
        }
        catch (McpCalendarException)
        {
            return [];
        }
    }

    /// <summary>The day's free slots in the company's zone, one per start, in time order.</summary>
    internal static async Task<List<(ZonedDateTime Start, ZonedDateTime End)>> FreeStartsAsync(DialogueTurn turn, CompanyTime company, LocalDate date,
        CancellationToken cancellationToken)
    {
        var day = await turn.Calendar.GetAvailableSlotsAsync(date, cancellationToken);
        return day.Slots
            .Select(s => (Start: s.Start.ToInstant().InZone(company.Zone), End: s.End.ToInstant().InZone(company.Zone)))
            .Where(s => s.Start.Date == date)
            .GroupBy(s => s.Start.TimeOfDay)
            .Select(g => g.First())
            .OrderBy(s => s.Start.TimeOfDay)
            .ToList();
    }

    /// <summary>
    /// Nothing free inside <paramref name="range"/> on <paramref name="date"/>: the free starts closest to it (before or
    /// after), that day or the next ones, never its end.
    /// </summary>
    private static async Task<IReadOnlyList<LocalDateTime>> NearestToRangeAsync(DialogueTurn turn, CompanyTime company, LocalDate date,
        TimeRange range, IReadOnlyList<LocalTime> freeStarts, Func<LocalDateTime, bool> offerable, CancellationToken cancellationToken)
    {
        var (from, to) = (date.At(range.From), date.At(range.To));
        var candidates = freeStarts.Select(date.At).ToList();
        candidates.AddRange(await NextFreeAsync(turn, company, to, null, AlternativesOffered + 1, cancellationToken));
        long Distance(LocalDateTime c) => c < from ? Period.Between(c, from, PeriodUnits.Minutes).Minutes : Period.Between(to, c, PeriodUnits.Minutes).Minutes;
        return candidates.Distinct()
            .Where(c => c != to && !range.Contains(c.TimeOfDay) && offerable(c))
            .OrderBy(Distance)
            .ThenBy(c => c)
            .Take(AlternativesOffered)
            .Order()
            .ToList();
    }
}
