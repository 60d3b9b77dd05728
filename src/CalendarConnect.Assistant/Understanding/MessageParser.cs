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
        var normalized = TypoCorrector.Correct(TextNormalizer.Normalize(raw));
        var tokens = Tokens().Matches(normalized).Select(m => m.Value).ToList();

        var language = LanguageReader.Detect(raw, tokens);
        var dateLanguage = language ?? conversationLanguage;

        // "Cambiar mi turno del jueves al viernes a las 10": the day after "del"/"from" is the appointment being moved,
        // not where it goes. It is read on its own and taken out of the text before the new day and time are read.
        var forDate = normalized;
        DateExpression? movedDate = null;
        LocalTime? movedTime = null;
        if (tokens.Any(IntentReader.RescheduleWords.Contains) && DateReader.MovedFrom(normalized) is { Success: true } from)
        {
            var (fromDate, fromRest) = DateReader.Read(from.Groups[1].Value, dateLanguage);
            movedDate = fromDate;
            movedTime = TimeReader.Read(TimeReader.NumberWordsToDigits(fromRest), null).Time;
            forDate = Blank(normalized, from);
        }

        var (date, rest) = DateReader.Read(forDate, dateLanguage);
        var period = TimeReader.ReadPeriod(rest);
        var (time, meridiemAssumed) = TimeReader.Read(TimeReader.NumberWordsToDigits(rest), period);
        var soonest = date is null && time is null && DateReader.IsSoonest(normalized);
        var intent = IntentReader.Detect(raw, normalized, tokens, date is not null || time is not null || period is not null || soonest);
        return new ParsedMessage(language, intent, date, time, period, meridiemAssumed, soonest, movedDate, movedTime);
    }

    /// <summary><see cref="Ordinal"/>'s answer for "el último" / "the last one".</summary>
    public const int LastOrdinal = int.MaxValue;

    /// <summary>
    /// A message that is only a position in a list the assistant showed: "el primero", "la segunda", "the first one",
    /// "el último" (<see cref="LastOrdinal"/>); null for anything else.
    /// </summary>
    public static int? Ordinal(string? text)
    {
        if (text is null || text.Length > 60) return null;
        var match = OrdinalPhrase().Match(TextNormalizer.Normalize(text));
        if (!match.Success) return null;
        return match.Groups[1].Value switch
        {
            "primero" or "primera" or "primer" or "first" or "1st" => 1,
            "segundo" or "segunda" or "second" or "2nd" => 2,
            "tercero" or "tercera" or "tercer" or "third" or "3rd" => 3,
            _ => LastOrdinal,
        };
    }

    [GeneratedRegex(@"^(?:(?:el|la|the)\s+)?(primero|primera|primer|segundo|segunda|tercero|tercera|tercer|ultimo|ultima|first|second|third|last|1st|2nd|3rd)(?:\s+(?:one|turno|cita|appointment))?[\s.!?]*$", Options, TimeoutMs)]
    private static partial Regex OrdinalPhrase();

    /// <summary>A word this parser knows as it is: never "corrected" into another one.</summary>
    internal static bool IsKnownWord(string word) =>
        LanguageReader.IsKnown(word) || IntentReader.IsKnown(word) || ConfirmationReader.IsKnown(word);

    /// <summary>
    /// Whether <paramref name="text"/> says no to something: a negation or retraction anywhere in it ("please don't
    /// cancel", "ya no quiero cancelar", "wait"). Used where a question about a write is open, so any doubt keeps things as they are.
    /// </summary>
    public static bool HasNegation(string? text) => ConfirmationReader.HasNegation(WordsOf(text));

    /// <summary>Whether <paramref name="text"/> holds a cancel word ("cancel", "cancelalo").</summary>
    internal static bool IsCancelWord(string? text) => WordsOf(text).Any(IntentReader.CancelWords.Contains);

    /// <summary>The normalised words of <paramref name="text"/>, without typo correction.</summary>
    internal static List<string> WordsOf(string? text) => Tokens().Matches(TextNormalizer.Normalize(text)).Select(m => m.Value).ToList();

    [GeneratedRegex(@"[a-z0-9']+", Options, TimeoutMs)]
    private static partial Regex Tokens();
}
