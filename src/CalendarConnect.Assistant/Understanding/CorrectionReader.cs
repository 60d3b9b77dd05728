using System.Text.RegularExpressions;
using NodaTime;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A day or time the customer rules out in the message itself: "el lunes no me sirve, ¿el martes?", "not Thursday —
/// Friday at 9?", "mañana no puedo, pasado a las 10", "no a las 3, a las 4". The clause that rules out is read on its
/// own and taken out of the text, so the new day and time are read from what is left.
/// </summary>
internal static partial class CorrectionReader
{
    /// <summary>Where one clause ends and the next begins: punctuation, a dash, "but" / "pero" / "mejor".</summary>
    /// <remarks>"Ah no a las 10" takes back what was said before it (<see cref="RestatementReader"/>): no clause of its own.</remarks>
    [GeneratedRegex(@"[,;!?¿¡—–…]|\.(?!\d)|\s-+\s|\b(?:but|pero|sino|mejor)\b|(?<!\b(?:ah|ahh|ay|uy|ups|oops|uf|oh|bueno|pues)\s)(?=\b(?:not|no)\s+(?:the|el|la|on|at|a las)\s)", Options, TimeoutMs)]
    private static partial Regex ClauseBreak();

    /// <summary>A pause that ends what was said before: an ellipsis or a dash ("el jueves a las 9... no, a las 11", "friday at 3 - no, 5").</summary>
    [GeneratedRegex(@"\.{2,}|…|[-—–]", Options, TimeoutMs)]
    private static partial Regex Pause();

    /// <summary>
    /// A clause that is only "no" and what replaces it ("no a las 10", "no, el viernes"), with no verb that rules out: after a
    /// pause it takes back what was said before it (<see cref="RestatementReader"/>), it rules nothing out.
    /// </summary>
    [GeneratedRegex(@"^\s*(?:no|nope|nah)\b(?!\s+(?:me|nos|le|te|les|lo|la)?\s*(?:sirve|sirven|puedo|podemos|puede|va|viene|queda|anda|funciona|es posible|llego|conviene|da|tengo|cuadra|encaja|voy|vamos|work|good)\b)", Options, TimeoutMs)]
    private static partial Regex BareNo();

    /// <summary>
    /// A clause that rules its day or time out: "no me sirve", "no puedo", "doesn't work", "can't do", "I'm busy", or a
    /// clause that starts with "no" / "not" right before a day or a time ("no el lunes", "not at 3", "not thursday").
    /// </summary>
    [GeneratedRegex(@"\bno\s+(?:me\s+|nos\s+|le\s+|te\s+)?(?:sirve|sirven|puedo|podemos|puede|va|viene|queda|anda|funciona|es posible|llego|conviene|da|tengo tiempo|cuadra|encaja)\b|\b(?:estoy|estamos)\s+ocupad[oa]s?\b|(?<!\bo|\bor)\s+no\s*$|\bimposible\b|\b(?:viene|va|queda|cae)\s+(?:fatal|mal|horrible|complicad[oa])\b|\bdoesn'?t suit\b|\b(?:doesn'?t|does not|won'?t|will not|don'?t|do not)\s+work\b|\b(?:can'?t|cannot|can not)\s+(?:do|make|come|go)\b|\bi\s+can'?t\b|\bno good\b|(?:\b(?:is|are|es|esta)|(?<=\w)'s)\s+(?:out|bad|malo|mala|complicado|complicada|imposible|full|lleno)\b|\bnot (?:good|possible|available|free)\b|\bi'?m (?:busy|not free|not available|away)\b|^\s*(?:(?:nope|nah|no|nel|wait|espera|hmm)\s+)?(?:no|not|ni|neither)\s+(?:(?:el|la|the|on|at|a|para|for|en|las|this|este|esta|es|era|is|was|it'?s)\s+){0,3}(?:\d|(?:" + DateReader.WeekdayNames + @"|manana|hoy|tomorrow|today|tonight|pasado|mediodia|noon|week|semana|weekend|finde|fin de semana|month|mes)\b)|\bno\s+(?:voy|vamos)\s+a\s+poder\b", Options, TimeoutMs)]
    private static partial Regex RulesOut();

    /// <summary>"Instead of Friday", "en vez de las 3": the day or time right after is the one ruled out.</summary>
    [GeneratedRegex(@"\b(?:instead of|rather than|in place of|(?:en vez|en lugar)\s+del?)\s+(?<what>(?:(?:the|el|la|las|on|at|a)\s+)*(?:\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|hs))?|\w+)(?:\s+(?:at|a las)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|hs))?)?)", Options, TimeoutMs)]
    private static partial Regex InsteadOf();

    /// <summary>
    /// "Cualquier día menos el lunes", "todos los días salvo el viernes", "any time except monday", "anytime but 3",
    /// "anything but monday": the day or time after is ruled out, and no other one is named. "Menos" needs an article:
    /// "a las 5 menos 10" is 4:50, and "más o menos las 5" is about 5.
    /// </summary>
    [GeneratedRegex(@"(?:(?<!\bmas o\s)\bmenos\s+(?=(?:el|la|los|las)\s)|\b(?:salvo|excepto|except(?:\s+for)?|other than|apart from)\s+|\b(?:any ?time|anything|any day|whenever|cualquier (?:dia|hora|momento))\s+but\s+)(?<what>(?:(?:the|el|la|los|las|on|at|a)\s+)*(?:\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|hs))?|\w+))", Options, TimeoutMs)]
    private static partial Regex Except();

    /// <summary>"Pasado" alone after a ruled-out "mañana": the day after tomorrow ("mañana no puedo, pasado a las 10").</summary>
    [GeneratedRegex(@"\bpasado\b(?!\s+manana)", Options, TimeoutMs)]
    private static partial Regex BarePasado();

    /// <summary>"Not this Saturday, the one after", "el lunes no, el siguiente": the next one of the day ruled out.</summary>
    [GeneratedRegex(@"\b(?:the (?:one|week) after(?: that)?|the following (?:one|week)|the next one|el (?:siguiente|que sigue|de despues)|la (?:siguiente|semana siguiente|que sigue|de despues))\b", Options, TimeoutMs)]
    private static partial Regex TheOneAfter();

    /// <summary>"Not tomorrow, the day after", "el lunes no, el día siguiente": the day after the one ruled out, whatever it is.</summary>
    [GeneratedRegex(@"\b(?:the day after|the next day|the following day|el dia (?:siguiente|despues)|al dia siguiente)\b(?!\s+(?:tomorrow|manana)\b)", Options, TimeoutMs)]
    private static partial Regex TheDayAfter();

    /// <summary>
    /// The day meant by "the one after" said after <paramref name="ruledOut"/>: a weekday's next week (7 days on), the day
    /// after a relative day ("mañana no, el siguiente"); null when the text says no such thing or the day has no "next one".
    /// </summary>
    public static DateExpression? TheOneAfterRuledOut(string text, DateExpression? ruledOut) =>
        ruledOut is not null && TheDayAfter().IsMatch(text) ? new DaysAfter(ruledOut, 1)
        : !TheOneAfter().IsMatch(text) ? null
        : ruledOut switch
        {
            NextWeekday or WeekdayInWeeks => new DaysAfter(ruledOut, 7),
            RelativeDay => new DaysAfter(ruledOut, 1),
            _ => null,
        };

    /// <param name="Excepting">Ruled out by "menos" / "except": the rest of the message is open, not a no.</param>
    public sealed record Correction(DateExpression? RuledOutDate, LocalTime? RuledOutTime, string Remaining, bool Excepting = false);

    /// <summary>The ruled-out day and time, and the text without the clause that ruled them out; null when nothing was ruled out.</summary>
    public static Correction? Read(string text, Language? language)
    {
        if (InsteadOf().Match(text) is { Success: true } instead)
        {
            var what = instead.Groups["what"].Value;
            // "A las 3" after "en vez de" / "instead of" is a time even without the preposition ("at 4 instead of 3").
            var said = TimeReader.NumberWordsToDigits(what.Length > 0 && char.IsAsciiDigit(what[0]) ? "a las " + what : what);
            var (insteadDate, insteadRest) = DateReader.Read(said, language);
            var (insteadTime, _) = TimeReader.Read(insteadRest, TimeReader.ReadPeriod(insteadRest));
            if (insteadDate is not null || insteadTime is not null) return new Correction(insteadDate, insteadTime, Blank(text, instead));
        }

        if (Except().Match(text) is { Success: true } except)
        {
            var what = except.Groups["what"].Value;
            var said = TimeReader.NumberWordsToDigits(what.Length > 0 && char.IsAsciiDigit(what[0]) ? "a las " + what : what);
            var (exceptDate, exceptRest) = DateReader.Read(said, language);
            var (exceptTime, _) = TimeReader.Read(exceptRest, TimeReader.ReadPeriod(exceptRest));
            if (exceptDate is not null || exceptTime is not null) return new Correction(exceptDate, exceptTime, Blank(text, except), Excepting: true);
        }

        foreach (var clause in Clauses(text))
        {
            var (index, length, afterPause) = clause;
            var words = text.Substring(index, length);
            if (afterPause && BareNo().IsMatch(words)) continue;
            if (RulesOut().Match(words) is not { Success: true } rulesOut) continue;
            // Voice-to-text has no comma: in "el lunes no puedo el martes a las diez" the clause that rules out ends
            // with "no puedo", when what comes before it named the day; what follows is the new request.
            var end = rulesOut.Index + rulesOut.Length;
            if (end < words.Length && NamesDayOrTime(words[..end], language) && NamesDayOrTime(words[end..], language)
                && !RulesOut().IsMatch(words[end..]))
                (words, length) = (words[..end], end);
            var digits = TimeReader.NumberWordsToDigits(words);
            var (date, rest) = DateReader.Read(digits, language);
            var (time, _) = TimeReader.Read(rest, TimeReader.ReadPeriod(rest));
            // "La semana que viene no puedo": a period ruled out is taken out too, though only days and times are named back.
            if (date is null && time is null && SpanReader.Read(words).Span is null) continue;

            var remaining = string.Concat(text.AsSpan(0, index), new string(' ', length), text.AsSpan(index + length));
            if (date is RelativeDay { DaysFromToday: 1 }) remaining = BarePasado().Replace(remaining, "pasado manana");
            return new Correction(date, time, remaining);
        }
        return null;
    }

    private static bool NamesDayOrTime(string words, Language? language)
    {
        var (date, rest) = DateReader.Read(TimeReader.NumberWordsToDigits(words), language);
        return date is not null || TimeReader.Read(rest, TimeReader.ReadPeriod(rest)).Time is not null;
    }

    /// <returns>Each clause, and whether a pause (<see cref="Pause"/>) came between it and the clause before.</returns>
    private static IEnumerable<(int Index, int Length, bool AfterPause)> Clauses(string text)
    {
        var (start, previousEnd) = (0, 0);
        foreach (Match separator in ClauseBreak().Matches(text))
        {
            if (separator.Index > start && text[start..separator.Index].Trim().Length > 0)
            {
                yield return (start, separator.Index - start, previousEnd > 0 && Pause().IsMatch(text[previousEnd..start]));
                previousEnd = separator.Index;
            }
            start = separator.Index + separator.Length;
        }
        if (start < text.Length) yield return (start, text.Length - start, previousEnd > 0 && Pause().IsMatch(text[previousEnd..start]));
    }
}
