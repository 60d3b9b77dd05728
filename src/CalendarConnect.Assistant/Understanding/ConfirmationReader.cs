using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Yes and no to what the assistant asked. A yes must be explicit: a question, an "if" ("si llueve…"), a "no" anywhere
/// or a doubt ("no sé") is never one, because a yes books, moves or cancels.
/// </summary>
internal static partial class ConfirmationReader
{
    public static readonly HashSet<string> ConfirmWords = ["confirmo", "confirmar", "confirma", "confirmalo", "confirm", "confirmed"];

    /// <summary>Words that make a short message a yes when it starts with one ("sí, por favor", "ok then").</summary>
    public static readonly HashSet<string> YesWords =
    [
        "si", "dale", "ok", "okay", "vale", "perfecto", "listo", "yes", "yep", "yeah", "sure", "yup", "yess", "sii", "sip",
        "claro", "obvio", "k", "okey", "oki", "okis", "perfect", "absolutely", "definitely", "yea", "yeh",
    ];

    /// <summary>
    /// Words that are a yes only when the whole message is made of yes words ("va", "sale", "órale", "venga"): "va a
    /// venir mi hermana", "sale caro" or "venga mañana" are not a yes.
    /// </summary>
    /// <remarks>"Bueno", "bien", "fine" are left out: they as often start a doubt ("bueno… no sé") as say yes.</remarks>
    private static readonly HashSet<string> YesOnlyAlone =
    [
        "va", "sale", "orale", "venga", "joya", "andale", "simon", "sipi", "genial", "excelente", "barbaro", "buenisimo",
        "alright", "cool", "great", "guay", "chido", "chevere", "lovely", "wonderful", "brilliant", "fab",
    ];

    /// <summary>
    /// Yes said in two words, a yes only when the whole message is made of yes words and these ("de acuerdo", "está bien",
    /// "all right"): "está bien el lunes?" or "de acuerdo, pero…" are not.
    /// </summary>
    /// <remarks>"That would be lovely", "that'd be great": a polite yes.</remarks>
    [GeneratedRegex(@"\b(?:de acuerdo|esta bien|all right|of course|por supuesto|sounds good|for sure|(?:that|it|this)(?:'d| would) be (?:lovely|great|perfect|wonderful|fine|good|nice|ideal|brilliant|fantastic))\b", Options, TimeoutMs)]
    private static partial Regex YesPhraseWord();

    /// <summary>
    /// Yes words that as often only acknowledge: with a thanks and nothing else ("vale gracias", "ok thanks", "perfecto,
    /// muchas gracias") the message thanks; it is no yes to a proposal, which is then asked again.
    /// </summary>
    private static readonly HashSet<string> Acknowledgements =
    [
        "ok", "okay", "okey", "oki", "okis", "k", "vale", "perfecto", "perfect", "listo", "joya", "genial", "great", "cool", "alright",
        "excelente", "barbaro", "buenisimo", "guay", "chido", "chevere", "lovely", "wonderful", "brilliant", "fab",
    ];

    /// <summary>Words that may stand beside a thanks ("thank you so much", "muchas gracias", "mil gracias").</summary>
    private static readonly HashSet<string> ThanksFillers = ["you", "so", "much", "a", "lot", "muchas", "muchisimas", "mil", "muy", "amable"];

    /// <summary>Words that may stand beside a yes and a cancel word ("sí, cancelalo por favor", "yes cancel it", "sí cancelá el turno").</summary>
    private static readonly HashSet<string> CancelCompanions = ["it", "my", "the", "appointment", "booking", "el", "la", "lo", "mi", "turno", "cita", "reserva", "nomas", "ya"];

    /// <summary>
    /// Words that tell to go on with what was proposed, after a yes ("yes please go ahead and book it", "sí, dale,
    /// resérvamelo"): a longer message made only of them is still an explicit yes.
    /// </summary>
    private static readonly HashSet<string> GoAhead =
    [
        "go", "ahead", "and", "book", "it", "do", "that", "one", "for", "me", "reservalo", "reservala", "reservamelo", "reservamela",
        "agendalo", "agendala", "agendamelo", "agendamela", "anotalo", "anotala", "anotame", "anotamelo", "hazlo", "hacelo", "adelante",
        "nomas", "ya", "y", "ponlo", "ponla", "ponmelo", "ponmela", "apuntalo", "apuntala", "apuntame", "apuntamelo",
    ];

    /// <summary>Words that may stand beside a yes word in a message of yes words only ("sí sí gracias", "yes please").</summary>
    private static readonly HashSet<string> YesFillers =
        ["que", "please", "pls", "porfa", "gracias", "thanks", "thank", "you", "then", "entonces", "por", "favor", "de", "una", "muy", "pues", "man"];

    /// <summary>Sounds before a yes that do not change it ("oh of course", "ah sí", "mm ok").</summary>
    private static readonly HashSet<string> Interjections = ["oh", "ah", "ahh", "ohh", "uh", "um", "umm", "mm", "mmm", "hm", "hmm", "eh", "ay", "well", "uf", "uff", "puf", "m"];

    /// <summary>Sounds of hesitation before an answer ("hmm no", "eh no"), unlike "oh" or "ay" that exclaim.</summary>
    /// <remarks>"M": how "mmm" arrives once repeated letters are collapsed (<see cref="Shorthand"/>).</remarks>
    private static readonly HashSet<string> Hesitations = ["hm", "hmm", "hmmm", "um", "umm", "uh", "mm", "mmm", "eh", "uf", "uff", "puf", "m", "uy", "ay", "ah", "ahh"];

    public static readonly HashSet<string> NegationWords = ["no", "not", "don't", "dont", "nope", "nah", "nunca", "never", "tampoco", "espera", "wait"];

    /// <remarks>"Nono", "nonono": a no said twice in one breath, as "no no".</remarks>
    public static readonly HashSet<string> DeclineWords = ["no", "nop", "nope", "nah", "negativo", "nel", "naa", "naah", "nahh", "nones", "nono", "nonono"];

    /// <summary>Question words: a message asking something is not a yes, whatever else it says ("¿cómo hago para confirmar?").</summary>
    private static readonly HashSet<string> QuestionWords =
    [
        "como", "cuanto", "cuanta", "cuantos", "cuantas", "cuando", "donde", "cual", "cuales", "quien", "quienes", "porque",
        "how", "what", "when", "where", "why", "which", "who", "whom",
    ];

    /// <summary>Words after an unaccented "si" that make it a yes ("si quiero", "si por favor"), not an "if" ("si llueve").</summary>
    private static readonly HashSet<string> YesCompanions =
    [
        "quiero", "claro", "por", "porfa", "gracias", "obvio", "seguro", "exacto", "correcto", "bien", "senor", "senora", "please", "si",
    ];

    public static bool IsKnown(string word) =>
        ConfirmWords.Contains(word) || YesWords.Contains(word) || YesOnlyAlone.Contains(word) || DeclineWords.Contains(word) || FarewellWords.Contains(word);

    /// <summary>An explicit yes, in a message that names no new day or time.</summary>
    /// <param name="namedTimeIsChecked">
    /// The caller checks that a day or time in the message is exactly the one asked about ("yes 3pm works" to a 3 pm
    /// proposal), so a number beside the yes does not by itself make it a doubtful yes.
    /// </param>
    public static bool IsYes(string raw, string normalized, IReadOnlyList<string> tokens, bool namedTimeIsChecked = false)
    {
        var spoken = tokens.SkipWhile(Interjections.Contains).ToList();
        if (spoken.Count < tokens.Count && spoken.Count > 0)
            return IsYes(raw, string.Join(' ', spoken), spoken, namedTimeIsChecked);
        // "Great thanks, yes book it", "perfecto gracias, sí": an acknowledgement that thanks, then the yes itself.
        var afterThanks = tokens.SkipWhile(t => Acknowledgements.Contains(t) || IntentReader.ThanksWords.Contains(t) || ThanksFillers.Contains(t)).ToList();
        if (afterThanks.Count < tokens.Count && afterThanks.Count > 0 && YesWords.Contains(afterThanks[0])
            && tokens.Take(tokens.Count - afterThanks.Count).Any(IntentReader.ThanksWords.Contains))
            return IsYes(raw, string.Join(' ', afterThanks), afterThanks, namedTimeIsChecked);
        return !IsFarewell(normalized, tokens) && IsPlainYes(raw, normalized, tokens, namedTimeIsChecked);
    }

    private static bool IsPlainYes(string raw, string normalized, IReadOnlyList<string> tokens, bool namedTimeIsChecked) =>
        !tokens.Any(NegationWords.Contains) && !IsQuestion(raw, tokens) && !IsIfClause(raw, tokens) && (namedTimeIsChecked || !tokens.Any(NamesANumber))
        && !tokens.Any(DoubtWords.Contains) && !LaterAnswer().IsMatch(normalized)
        && (tokens.Any(ConfirmWords.Contains)
            || (tokens.Count is > 0 and <= 6 && YesWords.Contains(tokens[0]))
            || (tokens.Count <= 10 && (YesWords.Contains(tokens[0]) || YesOnlyAlone.Contains(tokens[0]))
                && tokens.Skip(1).All(t => YesWords.Contains(t) || YesOnlyAlone.Contains(t) || YesFillers.Contains(t) || GoAhead.Contains(t)))
            || OnlyYesWords(tokens)
            || OnlyYesWords(Words().Matches(YesPhraseWord().Replace(normalized, "si")).Select(m => m.Value).ToList())
            || (tokens.Count <= 8 && YesPhrase().IsMatch(normalized)));

    /// <summary>A short message of yes words and the words that may stand beside them only ("sí sí gracias", "ándale pues").</summary>
    private static bool OnlyYesWords(IReadOnlyList<string> tokens) =>
        tokens.Count is > 0 and <= 6 && tokens.All(t => YesWords.Contains(t) || YesOnlyAlone.Contains(t) || YesFillers.Contains(t))
        && tokens.Any(t => YesWords.Contains(t) || YesOnlyAlone.Contains(t));

    [GeneratedRegex(@"[a-z0-9']+", Options, TimeoutMs)]
    private static partial Regex Words();

    /// <summary>
    /// Words that turn a yes into a "yes, but…" or a "yes, I'll see": a condition, another time, a later answer
    /// ("ok but later", "sí, aunque preferiría más tarde", "ok voy a ver", "sure, let me ask my wife", "ok maybe", "dale, un
    /// segundo", "ok hold on").
    /// </summary>
    private static readonly HashSet<string> DoubtWords =
    [
        "pero", "but", "aunque", "though", "although", "sino", "except", "later", "earlier", "temprano", "tarde", "check", "ver", "veo",
        "pienso", "pensar", "think", "consulto", "consultar", "ask", "pregunto", "preguntar", "aviso", "maybe", "perhaps", "quizas",
        "quiza", "capaz", "creo", "guess", "lemme", "let", "despues", "luego", "after", "another", "otro", "otra",
        "segundo", "sec", "momento", "momentito", "hold", "minute", "minuto",
    ];

    /// <summary>Words that take leave ("ok gracias, chau", "okay thank you, bye"): whoever says goodbye is not saying yes to book.</summary>
    private static readonly HashSet<string> FarewellWords = ["bye", "byebye", "goodbye", "chau", "chao", "chaito", "adios", "ciao", "cya", "ttyl"];

    /// <summary>Leave taken in more than one word: "see you", "nos vemos", "hasta luego", "hasta pronto", "take care".</summary>
    [GeneratedRegex(@"\b(?:see (?:you|ya)|talk (?:to you )?(?:later|soon)|take care|have a (?:good|nice) (?:one|day)|nos vemos|hasta luego|hasta pronto|hasta la proxima|que tengas (?:buen|lindo) dia)\b", Options, TimeoutMs)]
    private static partial Regex FarewellPhrase();

    /// <summary>Whether the message takes leave: it is thanks and goodbye, never a yes (nothing is booked).</summary>
    public static bool IsFarewell(string normalized, IReadOnlyList<string> tokens) =>
        tokens.Any(FarewellWords.Contains) || FarewellPhrase().IsMatch(normalized);

    /// <summary>"Ahí te confirmo", "te digo", "get back to you": the answer comes later.</summary>
    [GeneratedRegex(@"\bahi te\b|\bte digo\b|\bget back\b|\blet you know\b", Options, TimeoutMs)]
    private static partial Regex LaterAnswer();

    /// <summary>
    /// "Ok 5 then", "dale, 6": a number beside the yes may be another time than the one proposed, so the yes is not
    /// explicit. Only "one" / "una" are left out ("yes, one more thing").
    /// </summary>
    private static bool NamesANumber(string token) =>
        token.Any(char.IsAsciiDigit) || (token is not ("una" or "uno" or "one") && NumberWords.Hours.Split('|').Contains(token));

    /// <summary>
    /// An acknowledgement with a thanks and nothing else ("vale gracias", "ok thanks", "perfecto, mil gracias"): thanks,
    /// not a yes. A plain yes word keeps it a yes ("sí, gracias", "yes thanks", "dale gracias").
    /// </summary>
    public static bool IsAcknowledgedThanks(IReadOnlyList<string> tokens, IReadOnlySet<string> thanksWords) =>
        tokens.Count is > 0 and <= 6 && tokens.Any(Acknowledgements.Contains) && tokens.Any(thanksWords.Contains)
        && tokens.All(t => Acknowledgements.Contains(t) || thanksWords.Contains(t) || ThanksFillers.Contains(t) || YesFillers.Contains(t));

    /// <summary>
    /// An explicit yes with a cancel word and nothing else ("sí cancelalo", "yes cancel", "ok, cancelá el turno"): the yes
    /// to "do you want me to cancel…?". No negation, doubt or question may be in it.
    /// </summary>
    public static bool IsYesToCancel(string raw, IReadOnlyList<string> tokens, IReadOnlySet<string> cancelWords) =>
        tokens.Count is > 1 and <= 6 && !tokens.Any(t => NegationWords.Contains(t) || DeclineWords.Contains(t) || DoubtWords.Contains(t))
        && !IsQuestion(raw, tokens) && !IsIfClause(raw, tokens)
        && tokens.Any(t => YesWords.Contains(t) || ConfirmWords.Contains(t)) && tokens.Any(cancelWords.Contains)
        && tokens.All(t => YesWords.Contains(t) || ConfirmWords.Contains(t) || cancelWords.Contains(t) || YesFillers.Contains(t) || CancelCompanions.Contains(t));

    /// <summary>A no to what was asked ("no", "nel", "mejor no"): a short message starting with one.</summary>
    /// <remarks>A hesitation before it does not change it ("hmm no actually", "eh no"); "oh no" is an exclamation.</remarks>
    public static bool IsNo(IReadOnlyList<string> tokens) =>
        tokens.SkipWhile(Hesitations.Contains).ToList() is { Count: > 0 and <= 6 } said
        && (DeclineWords.Contains(said[0]) || (said[0] == "mejor" && said.Count > 1 && said[1] == "no"));

    /// <summary>A no said in words that do not start with one: "not really", "that doesn't work for me".</summary>
    public static bool IsNoPhrase(string normalized) => NoPhrase().IsMatch(normalized);

    /// <remarks>
    /// "Forget it", "never mind", "déjalo", "olvídalo": the question is dropped, as with a no. "Esa hora no me va bien",
    /// "that's too early", "that doesn't suit me": the time proposed does not suit, a no too.
    /// </remarks>
    [GeneratedRegex(@"^\W*(?:(?:hm+|m+|uf+|puf|eh|ah|ay|oh|no|nah|nope)\W+)*(?:not really|(?:that|it|this)(?:'?s| is)? (?:doesn'?t|does not|won'?t|will not|not going to) work|(?:that|it)(?:'?s| is) no good|(?:(?:esa|ese|esta|este) (?:hora|horario|dia|turno|cita)\s+)?no me (?:sirve|va|viene|queda|cuadra|conviene)(?: bien)?|(?:that|it|this)(?:'?s| is) too (?:early|late|soon)|(?:that|it|this) (?:doesn'?t|does not|won'?t) suit(?: me)?|forget it|never ?mind|dejalo|dejemoslo|olvidalo|olvidate|no importa)\b", Options, TimeoutMs)]
    private static partial Regex NoPhrase();

    /// <summary>"No sé" / "not sure" is neither yes nor no: the question stays open.</summary>
    public static bool IsUnsure(string normalized) => Unsure().IsMatch(normalized);

    /// <summary>Whether the text says no to something anywhere in it ("please don't cancel", "wait").</summary>
    public static bool HasNegation(IEnumerable<string> tokens) => tokens.Any(t => NegationWords.Contains(t) || DeclineWords.Contains(t));

    /// <summary>A question ("?", "¿" or a question word) is never a yes; "qué" counts only with its accent ("claro que sí" is a yes).</summary>
    private static bool IsQuestion(string raw, IReadOnlyList<string> tokens) =>
        raw.Contains('?') || raw.Contains('¿') || raw.Contains("qué", StringComparison.OrdinalIgnoreCase)
        || tokens.Any(QuestionWords.Contains) || (tokens.Count > 0 && tokens[0] == "que");

    /// <summary>"si" without its accent starting a clause ("si llueve igual abren"): an "if", not a yes.</summary>
    private static bool IsIfClause(string raw, IReadOnlyList<string> tokens)
    {
        if (tokens.Count < 2 || tokens[0] != "si") return false;
        var match = LeadingSi().Match(raw);
        if (!match.Success || match.Groups[1].Value[1] is 'í' or 'Í') return false;
        if (match.Groups[2].Value.IndexOfAny([',', '.', '!', ';', ':', '¡']) >= 0) return false;
        return !(YesWords.Contains(tokens[1]) || ConfirmWords.Contains(tokens[1]) || YesCompanions.Contains(tokens[1]));
    }

    [GeneratedRegex(@"^[\s¡!.,]*([sS][iIíÍ])\b([^\p{L}\p{N}]*)", Options, TimeoutMs)]
    private static partial Regex LeadingSi();

    [GeneratedRegex(@"^(?:m+|eh+|hm+|um+)?\s*(?:no se|no lo se|no estoy segur[oa]|not sure|i'?m not sure|i don'?t know|dunno|quizas|tal vez|maybe|a lo mejor)\b", Options, TimeoutMs)]
    private static partial Regex Unsure();

    /// <summary>Yes said in more than one word, at the start of the message ("of course", "oh of course", "por supuesto", "go ahead").</summary>
    [GeneratedRegex(@"^\W*(?:(?:oh|ah|well|um|uh|mm+|pues|ay)\W+)?(?:of course|por supuesto|sounds (?:good|great|perfect)|go ahead|go for it|de una|me parece (?:bien|perfecto)|that works|works for me|me sirve|me va bien|let'?s do it|hagamoslo)\b", Options, TimeoutMs)]
    private static partial Regex YesPhrase();
}
