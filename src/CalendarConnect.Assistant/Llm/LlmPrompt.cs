using System.Text;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.AI;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.Assistant.Llm;

/// <summary>
/// The messages sent to the model: a system prompt in the conversation's language with the company's date and zone
/// (from <c>get_current_time</c>) and what the conversation has pending, then the remembered exchanges and the new message.
/// </summary>
public static class LlmPrompt
{
    private static readonly OffsetDateTimePattern Iso = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    public const int MaxMessageLength = 2000;

    public static List<ChatMessage> Messages(ConversationState state, CompanyTime company, string? text)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt(state, company)) };
        foreach (var exchange in state.Llm?.History ?? [])
        {
            messages.Add(new ChatMessage(ChatRole.User, exchange.Customer));
            messages.Add(new ChatMessage(ChatRole.Assistant, exchange.Assistant));
        }
        // The backend accepts 2,000 characters; another host might not check, and the model's bill grows with it.
        messages.Add(new ChatMessage(ChatRole.User, text is { Length: > MaxMessageLength } ? text[..MaxMessageLength] : text ?? ""));
        return messages;
    }

    public static string SystemPrompt(ConversationState state, CompanyTime company)
    {
        var language = state.Language;
        var now = company.Now;
        var today = ReplyTexts.Day(now.Date, language);
        var time = ReplyTexts.Time(now.TimeOfDay, language);
        var iso = Iso.Format(now.ToOffsetDateTime());
        var prompt = new StringBuilder();
        if (language == Language.English)
        {
            prompt.AppendLine("You are the booking assistant of one company. You talk with its customers in English, briefly and kindly (at most three sentences), only about appointments with this company.");
            prompt.AppendLine($"Now at the company it is {today} {now.Year}, {time} ({iso}, time zone {company.Zone.Id}). Resolve \"today\", \"tomorrow\" or weekdays from this date; all times are in this zone.");
            prompt.AppendLine("Rules:");
            prompt.AppendLine($"- Check free times with {ToolNames.GetAvailableSlots} or {ToolNames.FindNextAvailableSlots}; never offer a time those tools did not return.");
            prompt.AppendLine("- To book: once the customer chose a free time and told you their name, call propose_booking with that exact start (as the tool returned it) and the name. Do not claim anything is booked.");
            prompt.AppendLine($"- Call {ToolNames.BookAppointment} only when the customer's latest message is a clear yes to the booking you proposed, with the same start. Otherwise it is refused.");
            prompt.AppendLine($"- To cancel or move an appointment of this conversation: call propose_cancellation or propose_reschedule, then {ToolNames.CancelAppointment} or {ToolNames.RescheduleAppointment} only after the customer's yes.");
            prompt.AppendLine("- If a tool reports an error, tell the customer in plain words what they can do; never show technical details.");
        }
        else
        {
            prompt.AppendLine("Eres el asistente de reservas de una empresa. Hablas con sus clientes en español, breve y amablemente (como máximo tres oraciones), solo sobre turnos con esta empresa.");
            prompt.AppendLine($"Ahora en la empresa es {today} de {now.Year}, {time} ({iso}, zona horaria {company.Zone.Id}). Resuelve «hoy», «mañana» o los días de la semana a partir de esta fecha; todas las horas son de esta zona.");
            prompt.AppendLine("Reglas:");
            prompt.AppendLine($"- Consulta los horarios libres con {ToolNames.GetAvailableSlots} o {ToolNames.FindNextAvailableSlots}; nunca ofrezcas un horario que esas herramientas no devolvieron.");
            prompt.AppendLine("- Para reservar: cuando el cliente eligió un horario libre y te dijo su nombre, llama a propose_booking con ese inicio exacto (tal como lo devolvió la herramienta) y el nombre. No digas que algo está reservado.");
            prompt.AppendLine($"- Llama a {ToolNames.BookAppointment} solo cuando el último mensaje del cliente es un sí claro a la reserva que propusiste, con el mismo inicio. Si no, se rechaza.");
            prompt.AppendLine($"- Para cancelar o mover un turno de esta conversación: llama a propose_cancellation o propose_reschedule, y a {ToolNames.CancelAppointment} o {ToolNames.RescheduleAppointment} solo después del sí del cliente.");
            prompt.AppendLine("- Si una herramienta informa un error, explícale al cliente con palabras simples qué puede hacer; nunca muestres detalles técnicos.");
        }

        // What is pending is stated, not left to the model to infer from the history: the rule-based assistant may
        // have made the proposal, and its wording does not always name the time.
        var english = language == Language.English;
        switch (state.Topic)
        {
            case Proposing { MoveEventId: { } moving, Proposal: var move }:
                prompt.AppendLine(english
                    ? $"Awaiting the customer's yes: moving event_id {moving} to {Iso.Format(move.Start)}."
                    : $"Pendiente del sí del cliente: mover el event_id {moving} a {Iso.Format(move.Start)}.");
                break;
            case Proposing { Proposal: var proposal }:
                prompt.AppendLine(english
                    ? $"Awaiting the customer's yes: booking {Iso.Format(proposal.Start)} ({proposal.DurationMinutes} min){(state.PersonName is null ? ", name not given yet" : "")}."
                    : $"Pendiente del sí del cliente: reserva de {Iso.Format(proposal.Start)} ({proposal.DurationMinutes} min){(state.PersonName is null ? ", todavía sin nombre" : "")}.");
                break;
            case AwaitingName { Proposal: var named }:
                prompt.AppendLine(english
                    ? $"Awaiting the customer's yes: booking {Iso.Format(named.Start)} ({named.DurationMinutes} min), name not given yet."
                    : $"Pendiente del sí del cliente: reserva de {Iso.Format(named.Start)} ({named.DurationMinutes} min), todavía sin nombre.");
                break;
            case ConfirmingCancellation { EventId: var cancel }:
                prompt.AppendLine(english ? $"Awaiting the customer's yes: cancelling event_id {cancel}." : $"Pendiente del sí del cliente: cancelar el event_id {cancel}.");
                break;
            case OfferingChoices { Offered: { Count: > 0 } offered }:
                // "The second one" or "la de las 11" picks from this list, in this order.
                var times = string.Join(", ", offered.Select(LocalDateTimePattern.GeneralIso.Format));
                prompt.AppendLine(english
                    ? $"Free times offered to the customer in the previous reply, in this order: {times}."
                    : $"Horarios libres ofrecidos al cliente en la respuesta anterior, en este orden: {times}.");
                break;
        }
        if (state.Booked.Count > 0)
        {
            var list = string.Join("; ", state.Booked.Select(a => $"event_id {a.EventId} {LocalDateTimePattern.GeneralIso.Format(a.Start)}"));
            prompt.AppendLine(english ? $"Appointments this conversation booked: {list}." : $"Turnos reservados en esta conversación: {list}.");
        }
        return prompt.ToString();
    }
}
