using System.Text.RegularExpressions;
using NodaTime;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Rule-based understanding of booking messages in Spanish and English: language, intent, date and time.
/// No LLM: the vocabulary of "book me tomorrow at 3" is small, and rules are predictable, fast and testable.
/// This class runs the readers in order (each in its own file, each with its own words) and puts their answers together.
/// </summary>
public static partial class MessageParser
{
    /// <param name="conversationLanguage">
    /// The conversation's language so far: decides the order of "3/2" when the message itself does not show its language.
    /// </param>
    public static ParsedMessage Parse(string? text, Language? conversationLanguage = null) =>
        TryParse(text, conversationLanguage, out var parsed, out _) ? parsed : parsed;

    /// <summary>
    /// <see cref="Parse"/> that never throws: a message the rules cannot read (a regex timeout, a number they cannot
    /// convert) is understood as nothing in particular, so the customer is asked again. The exception is handed back
    /// for the caller's log; its message is not logged, as it may quote the text.
    /// </summary>
    public static bool TryParse(string? text, Language? conversationLanguage, out ParsedMessage parsed, out Exception? failure)
    {
        try
        {
            parsed = ParseUnguarded(text, conversationLanguage);
            failure = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or RegexMatchTimeoutException or ArgumentException
                                       or InvalidOperationException or IndexOutOfRangeException)
        {
            parsed = new ParsedMessage(null, Intent.Other, null, null);
            failure = ex;
            return false;
        }
    }

    private static ParsedMessage ParseUnguarded(string? text, Language? conversationLanguage)
    {
        var raw = text is { Length: > TextNormalizer.MaxAnalysedLength } ? text[..TextNormalizer.MaxAnalysedLength] : text ?? "";
        var normalized = TypoCorrector.Correct(Shorthand.Expand(TextNormalizer.Normalize(raw)));
        var tokens = Tokens().Matches(normalized).Select(m => m.Value).ToList();

        var language = LanguageReader.Detect(raw, tokens);
        // "Te confirmo mañana": the day of the customer's answer, not one to book.
        if (DateReader.IsAnswerLater(normalized)) return new ParsedMessage(language, Intent.Other, null, null);
        // "¿Abren los domingos?", "what time do you close on friday": when the company opens, not a day to list.
        if (IntentReader.AsksOpeningHours(normalized, tokens)) return new ParsedMessage(language, Intent.Help, null, null, AsksOpeningHours: true);
        var dateLanguage = language ?? conversationLanguage;
        var selection = SelectionReader.Read(normalized);
        var cancelling = tokens.Any(IntentReader.CancelWords.Contains);
        var aboutOwnAppointment = tokens.Any(IntentReader.RescheduleWords.Contains) || DateReader.NamesOwnAppointment(normalized);
        // "Tomorrow at 10 no wait make it 11": the words that take back what was said ask for nothing of their own (no move
        // in "make it"), so the intent is read without them. "My appointment is at 10, can you make it 11" does move.
        var (intentText, intentTokens) = (normalized, tokens);
        if (!cancelling && !aboutOwnAppointment && RestatementReader.Read(normalized, dateLanguage) is { } restated)
        {
            intentText = Blank(normalized, restated.Marker);
            intentTokens = Tokens().Matches(intentText).Select(m => m.Value).ToList();
        }
        var moving = IntentReader.IsMove(intentText, intentTokens);
        // "How are you doing today?" greets: its "today" asks for no free times (IntentReader reads it as a greeting).
        var working = TimeReader.MarkHourAfterDay(TimeReader.WithoutMorningGreeting(IntentReader.WithoutSmallTalk(PersonName.WithoutNamesLikeDays(raw, normalized))));

        // "Retrásala una hora": a shift of the time being talked about, taken out so its "una hora" is not read as a time.
        var shift = ShiftReader.Read(working);
        if (shift is not null) working = Blank(working, shift.Value.Said);

        // "El lunes no me sirve, ¿el martes?": the ruled-out clause is read apart and taken out. Not in a cancellation,
        // where "no" is about the cancelling ("no, no cancelar el del viernes"), never about a day.
        var correction = cancelling ? null : CorrectionReader.Read(working, dateLanguage);
        if (correction is not null) working = correction.Remaining;

        // "Cambiar mi turno del jueves al viernes a las 10": the day after "del"/"from" is the appointment being moved,
        // not where it goes. It is read on its own and taken out of the text before the new day and time are read.
        DateExpression? movedDate = null;
        LocalTime? movedTime = null;
        if ((tokens.Any(IntentReader.RescheduleWords.Contains) || DateReader.NamesOwnAppointment(working)) && DateReader.MovedFrom(working) is { Success: true } from)
        {
            var (fromDate, fromRest) = DateReader.Read(from.Groups[1].Value, dateLanguage);
            movedDate = fromDate;
            movedTime = TimeReader.Read(TimeReader.NumberWordsToDigits(fromRest), null).Time;
            working = Blank(working, from);
        }

        // "Friday at 2, sorry I meant 3": only what is said last is read; the day it does not say again is kept. After the
        // day a move starts from is taken out, so "del jueves" is not kept as the new day.
        var restatement = cancelling ? null : RestatementReader.Read(working, dateLanguage);
        if (restatement is not null) working = restatement.Remaining;

        // Several days, or one weekday inside a week ("el martes de la semana que viene"), before single dates.
        var (span, date, rest) = SpanReader.Read(working);
        // "El 20 a las 3 o el 21 a las 4": two slots, neither taken for the customer; nothing else is read from the text.
        var alternatives = cancelling || span is AlternativeDays ? null : AlternativesReader.Read(working, dateLanguage);
        if (alternatives is not null) (span, date, rest) = (null, null, "");
        if (span is null && date is null) (date, rest) = DateReader.Read(rest, dateLanguage);
        // "El lunes, el martes a las 10": a second weekday that no correction or restatement marker put in place of the
        // first is no day to guess; both are offered back as alternatives (below, once the time is read).
        var otherWeekday = alternatives is null && span is null && date is not null ? DateReader.OtherWeekdayIn(date, rest) : null;
        rest = TimeReader.NumberWordsToDigits(rest);
        var restOfDay = TimeReader.RestOfDayAfterRulingOut(rest);
        rest = TimeReader.WithoutTimeItIs(rest);
        var period = TimeReader.ReadPeriod(rest) ?? restatement?.KeptPeriod;
        // "Not this Saturday, the one after": the day is the ruled-out one's next (read in the whole message: the clause
        // that ruled the day out may hold it, and was taken out).
        if (date is null && span is null && CorrectionReader.TheOneAfterRuledOut(normalized, correction?.RuledOutDate) is { } oneAfter) date = oneAfter;

        // A range ("from 1 to 4pm") stands instead of one time. "From 3pm to 5pm" in a move is where it goes from and to.
        TimeRange? range = null;
        (LocalTime Time, bool Assumed)? movedTo = null;
        if (!moving) (range, rest) = RangeReader.Read(rest, period);
        else if (movedTime is null && RangeReader.ReadFromTo(rest, period) is var (fromTime, toTime, assumed, afterMove))
            (movedTime, movedTo, rest) = (fromTime, (toTime, assumed), afterMove);
        var (time, meridiemAssumed) = movedTo is { } to ? (to.Time, to.Assumed)
            : range is null ? TimeReader.Read(rest, period) : (null, false);
        if (time is null && range is null && moving) (time, meridiemAssumed) = TimeReader.ReadHourInMove(rest, period);
        // "Thursday but not in the morning": the rest of that day, when a day was named and nothing else about the time.
        if (range is null && time is null && period is null && restOfDay is not null && (date is not null || span is not null) && !moving) range = restOfDay;
        if (restatement is { KeptDate: { } saidBefore } && date is null && span is null && alternatives is null) date = saidBefore;
        if (restatement is { KeptTime: { } timeBefore } && time is null && range is null && alternatives is null) (time, meridiemAssumed) = (timeBefore, restatement.KeptTimeAssumed);

        if (otherWeekday is not null && date is not null && range is null)
        {
            alternatives = [new Alternative(date, time, meridiemAssumed), new Alternative(otherWeekday, time, meridiemAssumed)];
            (date, time, meridiemAssumed) = (null, null, false);
        }
        else if (otherWeekday is not null) date = null;

        // "Mañana a las 3 no, a las 5": only the time was corrected, so the day stays the one said.
        if (correction is { RuledOutDate: { } keptDay, RuledOutTime: not null } && date is null && span is null && (time is not null || range is not null))
            (date, correction) = (keptDay, correction with { RuledOutDate = null });

        var soonest = date is null && time is null && span is null && range is null && DateReader.IsSoonest(normalized);
        var mentions = date is not null || time is not null || period is not null || soonest || span is not null || range is not null || alternatives is not null;
        var intent = IntentReader.Detect(raw, intentText, intentTokens, mentions);
        // "Dale, la primera" picks from the list and says yes in one breath: the pick is what it says. A yes must be
        // unambiguous, so it is not also a confirmation of whatever was proposed before the list.
        // "No, the other one" or "no actually the earlier one" picks again: the no is about the pick, not a no to everything.
        if (selection is not null && intent is Intent.Confirm or Intent.Decline) intent = Intent.Other;
        // "I can't make it anymore", "ya no voy a poder ir": with no day or time ruled out, the appointment is cancelled (after a yes).
        // ("Ya no puedo ir" asks for no free time, though "puedo ir" alone does.)
        if (correction is null && !mentions && intent is Intent.Other or Intent.Decline or Intent.CheckAvailability && IntentReader.CannotAttend(intentText))
            intent = Intent.Cancel;
        // "El lunes no me sirve" alone says no to that day, and nothing else.
        if (correction is { Excepting: false } && !mentions && intent is Intent.Other) intent = Intent.Decline;
        return new ParsedMessage(language, intent, date, time, period, meridiemAssumed, soonest, movedDate, movedTime,
            range, span, correction?.RuledOutDate, correction?.RuledOutTime, selection,
            ConfirmsCancellation: intent is Intent.Cancel && !mentions && IntentReader.IsYesToCancel(raw, tokens),
            Farewell: intent is Intent.Thanks && ConfirmationReader.IsFarewell(normalized, tokens), Alternatives: alternatives,
            // "Not tomorrow, the day after": with a day of its own, "the day after" is that day, no shift of another.
            Shift: shift?.Shift is { Minutes: >= ShiftReader.MinutesInADay } && (date is not null || span is not null) ? null : shift?.Shift,
            FirstThing: time is null && range is null && TimeReader.SaysFirstThing(rest));
    }

    /// <summary><see cref="Ordinal"/>'s answer for "el último" / "the last one".</summary>
    public const int LastOrdinal = int.MaxValue;

    /// <summary>
    /// A message that is only a position in a list the assistant showed: "el primero", "la segunda", "the first one",
    /// "option 2", "el último" (<see cref="LastOrdinal"/>); null for anything else (a pick by time is in <see cref="ParsedMessage.Selection"/>).
    /// </summary>
    public static int? Ordinal(string? text)
    {
        if (text is null || text.Length > 60) return null;
        return SelectionReader.Read(Shorthand.Expand(TextNormalizer.Normalize(text))) switch
        {
            SelectionByPosition { FromEnd: false } first => first.Position,
            SelectionByPosition { FromEnd: true, Position: 1 } => LastOrdinal,
            _ => null,
        };
    }

    /// <summary>A word this parser knows as it is: never "corrected" into another one.</summary>
    internal static bool IsKnownWord(string word) =>
        LanguageReader.IsKnown(word) || IntentReader.IsKnown(word) || ConfirmationReader.IsKnown(word);

    /// <summary>
    /// Whether <paramref name="text"/> says no to something: a negation or retraction anywhere in it ("please don't
    /// cancel", "ya no quiero cancelar", "wait"). Used where a question about a write is open, so any doubt keeps things as they are.
    /// </summary>
    public static bool HasNegation(string? text) => ConfirmationReader.HasNegation(WordsOf(text));

    /// <summary>Whether <paramref name="text"/> offers what it names in place of something else ("can we do Wednesday instead").</summary>
    public static bool SaysInstead(string? text) => IntentReader.SaysInstead(TextNormalizer.Normalize(text));

    /// <summary>Whether <paramref name="text"/> holds a word that moves ("cambiar", "move", "reschedule"), with or without what is moved.</summary>
    internal static bool HasMoveWord(string? text) => WordsOf(text).Any(IntentReader.RescheduleWords.Contains);

    /// <summary>Whether <paramref name="text"/> holds a cancel word ("cancel", "cancelalo").</summary>
    internal static bool IsCancelWord(string? text) => WordsOf(text).Any(IntentReader.CancelWords.Contains);

    /// <summary>The normalised words of <paramref name="text"/>, without typo correction.</summary>
    internal static List<string> WordsOf(string? text) => Tokens().Matches(TextNormalizer.Normalize(text)).Select(m => m.Value).ToList();

    [GeneratedRegex(@"[a-z0-9']+", Options, TimeoutMs)]
    private static partial Regex Tokens();
}
