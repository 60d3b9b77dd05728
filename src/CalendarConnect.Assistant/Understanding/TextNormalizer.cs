using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>Turns whatever a customer typed into lowercase, accent-free, single-spaced text for matching.</summary>
public static partial class TextNormalizer
{
    /// <summary>
    /// Only this many characters are analysed. A booking request fits in a few dozen; the cap keeps the cost of a
    /// 10,000-character paste (or an attack) bounded.
    /// </summary>
    public const int MaxAnalysedLength = 1000;

    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.Length > MaxAnalysedLength) text = text[..MaxAnalysedLength];

        // Accents are optional for customers ("manana", "miercoles"), so remove them everywhere; ñ becomes n.
        // Unicode normalisation throws on broken UTF-16 (a lone surrogate), so replace those first.
        var decomposed = ReplaceLoneSurrogates(text).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            // "３" or "١٠" are digits to the regexes (\d) but not to int.Parse: fold every decimal digit to ASCII.
            if (category == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c)));
                continue;
            }
            // "don’t" is typed with a curly apostrophe on phones.
            if (c is '’' or 'ʼ' or '‘')
            {
                builder.Append('\'');
                continue;
            }
            // Control and format characters (NUL, bidi overrides, zero-width joiners) separate words; they never join them.
            builder.Append(char.IsControl(c) || category == UnicodeCategory.Format || char.IsWhiteSpace(c) ? ' ' : c);
        }

        var result = builder.ToString();
        result = Meridiem().Replace(result, m => m.Groups[1].Value + "m ");
        result = ShortMeridiem().Replace(result, m => m.Groups[1].Value + "m");
        result = Whitespace().Replace(result, " ").Trim();
        return result;
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(text[i])) (copy ??= text.ToCharArray())[i] = ' ';
        }
        return copy is null ? text : new string(copy);
    }

    // "p.m.", "p. m.", "P.M", "pm" → "pm"; same for a.m. Anchored on a digit or space before, so "a mi" stays.
    [GeneratedRegex(@"(?<=[\d\s]|^)([ap])\.?\s?m\b\.?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex Meridiem();

    // "9a", "4p", "10:30p" (texting shorthand) → "9am", "4pm": only written straight after an hour, so "de 9 a 12" stays.
    [GeneratedRegex(@"(?<=(?<![\d:])\d{1,2}(?::\d{2})?)([ap])\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex ShortMeridiem();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex Whitespace();
}
