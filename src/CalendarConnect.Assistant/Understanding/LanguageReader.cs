using System.Text.RegularExpressions;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>Which language a message is written in, from the words it uses and the characters only Spanish has.</summary>
internal static partial class LanguageReader
{
    private static readonly HashSet<string> SpanishWords =
    [
        "quiero", "quisiera", "reservar", "reserva", "reservo", "reservame", "turno", "cita", "agendar", "agendame",
        "para", "manana", "hoy", "pasado", "las", "la", "el", "los", "de", "del", "hola", "buenas", "buenos", "buen",
        "dia", "dias", "tardes", "noches", "gracias", "por", "favor", "hay", "ayer", "anteayer", "tienen", "tenes", "tienes", "disponible",
        "disponibles", "disponibilidad", "libre", "libres", "horario", "horarios", "mediodia", "media", "cuarto",
        "tarde", "noche", "y", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "enero",
        "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre",
        "noviembre", "diciembre", "si", "dale", "confirmo", "confirmar", "que", "puedo", "necesito", "una", "un",
        "hora", "gustaria", "sirve", "con", "en", "proximo", "proxima", "esta", "este", "lugar", "perfecto", "vale",
        "mi", "mis", "cuando", "cancelar", "cancela", "cancelo", "anular", "nombre", "llamo", "soy", "mejor",
        "cambiar", "cambia", "cambio", "mover", "reprogramar", "ayuda", "puedes", "podes", "hacer", "al", "otro", "otra",
        "semana", "semanas", "mes", "dentro", "entre", "despues", "antes", "principios", "mediados", "fines", "finde",
        "primero", "primera", "segundo", "segunda", "ultimo", "ultima", "opcion", "claro", "obvio", "sale", "orale", "sip", "nel",
        "holis", "holi", "wenas", "chau", "chao", "adios", "abren", "atienden", "trabajan", "cierran", "abierto", "abiertos", "atencion",
    ];

    private static readonly HashSet<string> EnglishWords =
    [
        "i", "i'd", "i'm", "like", "book", "booking", "appointment", "tomorrow", "today", "after", "at", "hello", "hi",
        "hey", "good", "morning", "afternoon", "evening", "the", "is", "are", "there", "do", "you", "have", "any",
        "available", "availability", "free", "please", "thanks", "thank", "want", "would", "can", "could", "on", "for",
        "slot", "slots", "time", "noon", "midday", "next", "this", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
        "september", "october", "november", "december", "yes", "confirm", "what", "my", "schedule", "reserve",
        "half", "past", "quarter", "of", "to", "it", "that", "works", "book", "an", "and", "open", "day",
        "sure", "cancel", "when", "name", "nope", "yesterday", "move", "reschedule", "change", "help", "instead", "evening", "tonight",
        "week", "weeks", "month", "weekend", "days", "in", "between", "before", "from", "end", "sometime", "one", "first",
        "second", "third", "last", "option", "not", "push", "we", "make", "yup", "course", "sounds", "ahead", "thirty",
        "hiya", "heya", "bye", "goodbye", "early", "late", "mid", "if", "possible", "soon", "asap", "need", "get", "come", "maybe",
        "sorry", "wrong", "oops", "lol", "later", "earlier", "which", "did", "hours", "opening", "your", "its", "it's", "close", "closed", "guys",
    ];

    /// <summary>
    /// Month abbreviations only English writes (Spanish writes "ene", "abr", "ago", "dic") and chat shorthand: English
    /// evidence, but not words a name is checked against ("Jan", "Ty" are names).
    /// </summary>
    private static readonly HashSet<string> EnglishShortForms =
        ["jan", "apr", "aug", "dec", "thx", "ty", "cheers", "mate", "lot", "u", "ur", "pls", "plz", "appt"];

    /// <summary>"3rd", "22nd", "1st": an English ordinal suffix (Spanish writes "3ro", "1ra").</summary>
    [GeneratedRegex(@"^\d{1,2}(?:st|nd|rd|th)$", MatchText.Options, MatchText.TimeoutMs)]
    private static partial Regex EnglishOrdinal();

    [GeneratedRegex(@"\S+", MatchText.Options, MatchText.TimeoutMs)]
    private static partial Regex RawWord();

    /// <summary>A word that belongs to one of the two languages' lists.</summary>
    public static bool IsKnown(string word) => SpanishWords.Contains(word) || EnglishWords.Contains(word);

    /// <summary>Null when the message gives no clue or as many clues for both.</summary>
    public static Language? Detect(string raw, IReadOnlyList<string> tokens)
    {
        var spanish = 0;
        var english = 0;
        // Characters only Spanish uses are strong evidence; they are gone after normalisation, so look at the raw text.
        // A capitalised word after the first is a name ("yes, it's Laura Gómez"): its accents say nothing of the message's language.
        foreach (Match word in RawWord().Matches(raw))
        {
            if (word.Index > 0 && char.IsUpper(word.Value[0])) continue;
            foreach (var c in word.Value)
            {
                if (c is '¿' or '¡' or 'ñ' or 'Ñ' or 'á' or 'é' or 'í' or 'ó' or 'ú' or 'Á' or 'É' or 'Í' or 'Ó' or 'Ú') spanish += 2;
            }
        }
        foreach (var token in tokens)
        {
            if (SpanishWords.Contains(token)) spanish++;
            if (EnglishWords.Contains(token) || EnglishShortForms.Contains(token) || EnglishOrdinal().IsMatch(token)) english++;
        }
        if (spanish == english) return null;
        return spanish > english ? Language.Spanish : Language.English;
    }
}
