using System.Globalization;
using System.Text.RegularExpressions;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>What every reader of a message shares: regex options, number conversion and blanking what was read.</summary>
internal static class MatchText
{
    public const RegexOptions Options = RegexOptions.CultureInvariant;

    /// <summary>
    /// Every rule's match timeout (the one place it is set): a regex that takes longer than this on one message gives up
    /// (TryParse then reads the message as nothing). A linear rule on a capped message (TextNormalizer.MaxAnalysedLength)
    /// never comes near it; only catastrophic backtracking does.
    /// </summary>
    public const int TimeoutMs = 1000;

    public static int Int(Group group) => int.Parse(group.ValueSpan, CultureInfo.InvariantCulture);

    public static int? OptionalInt(Group group) => group.Success ? Int(group) : null;

    /// <summary>The text with the match replaced by spaces, so what one reader took is not read again by the next.</summary>
    public static string Blank(string text, Match match) =>
        string.Concat(text.AsSpan(0, match.Index), new string(' ', match.Length), text.AsSpan(match.Index + match.Length));
}
