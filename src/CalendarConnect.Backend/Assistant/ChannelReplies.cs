using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Backend.Assistant;

/// <summary>What the channels answer when the assistant itself cannot (texts shared with the HTTP channel message).</summary>
public static class ChannelReplies
{
    public static string UnknownCompany(Language language) => language == Language.English
        ? "Sorry, this number is not connected to any company's calendar yet, so I can't book appointments here."
        : "Lo siento, este número todavía no está conectado a la agenda de ninguna empresa, así que no puedo reservar turnos por aquí.";

    public static string OnlyText(Language language) => language == Language.English
        ? "Sorry, for now I can only read text messages. Please write what you need, e.g. \"I'd like to book tomorrow at 3 PM\"."
        : "Perdón, por ahora solo puedo leer mensajes de texto. Escríbeme lo que necesitas, por ejemplo \"Quiero reservar para mañana a las 3 PM\".";

    public static string TooLong(Language language, int max) => language == Language.English
        ? $"Sorry, that message is too long for me (at most {max} characters). Could you say it more briefly?"
        : $"Perdón, ese mensaje es demasiado largo para mí (como máximo {max} caracteres). ¿Me lo puedes decir más corto?";

    public static string Busy(Language language) => language == Language.English
        ? "I'm still answering your previous message; please write again in a moment."
        : "Todavía estoy respondiendo tu mensaje anterior; escríbeme de nuevo en un momento.";

    public static string Failed(Language language) => language == Language.English
        ? "Sorry, I ran into a problem answering you. Please try again in a few minutes."
        : "Perdón, tuve un problema para responderte. Intenta de nuevo en unos minutos.";
}
