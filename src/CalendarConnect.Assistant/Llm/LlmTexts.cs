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
    public static string ConfirmMove(LocalDateTime from, LocalDateTime to, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Shall I move your appointment on {ReplyTexts.When(from, reply)} to {ReplyTexts.When(to, reply)}? Please answer \"yes\" or \"no\"."
            : $"¿Confirmas que muevo tu turno del {ReplyTexts.Day(from.Date, reply)} a las {ReplyTexts.Time(from.TimeOfDay, reply)} " +
              $"al {ReplyTexts.Day(to.Date, reply)} a las {ReplyTexts.Time(to.TimeOfDay, reply)}? Responde «sí» o «no».";
}
