using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Llm;

/// <summary>
/// The sentences of the LLM mode that the rule-based assistant has no equivalent for. Like <see cref="ReplyTexts"/>,
/// composed from the calendar's answer, never from the model's words, so the day, date and time are always right.
/// </summary>
public static class LlmTexts
{
    public static string ConfirmMove(LocalDateTime from, LocalDateTime to, Language language) =>
        language == Language.English
            ? $"Shall I move your appointment on {ReplyTexts.When(from, language)} to {ReplyTexts.When(to, language)}? Please answer \"yes\" or \"no\"."
            : $"¿Confirmas que muevo tu turno del {ReplyTexts.Day(from.Date, language)} a las {ReplyTexts.Time(from.TimeOfDay, language)} " +
              $"al {ReplyTexts.Day(to.Date, language)} a las {ReplyTexts.Time(to.TimeOfDay, language)}? Responde «sí» o «no».";

    public static string Moved(LocalDateTime to, Language language) =>
        language == Language.English
            ? $"Done: your appointment is now on {ReplyTexts.When(to, language)}."
            : $"Listo, moví tu turno para {ReplyTexts.When(to, language)}. ¡Te esperamos!";
}
