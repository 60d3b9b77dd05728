using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant;

/// <summary>
/// The spec's "Asistente IA" (step 7): answers one customer message of a company's conversation, checking the
/// company's calendar through the MCP Calendar Server when the message names a day or time.
/// </summary>
/// <remarks>
/// The assistant has no clock of its own: "today" is the company's date as the MCP server's
/// <c>get_current_time</c> gives it, the same clock the server uses to leave out slots that have passed.
/// </remarks>
public sealed class BookingAssistant(
    ICalendarAdapter calendar,
    IConversationStore conversations)
{
    public const int MaxConversationIdLength = 200;

    /// <summary>How many free times to offer when the requested one is taken.</summary>
    private const int AlternativesOffered = 2;

    /// <summary>Answers <paramref name="text"/>, never throwing for anything the customer typed.</summary>
    /// <param name="customerId">The company (the spec's <c>customer_id</c>); sent to the MCP server as <c>X-Customer-Id</c>.</param>
    /// <param name="conversationId">The conversation within that company (e.g. a WhatsApp number); may be empty.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="customerId"/> is not a valid id (see <see cref="CustomerIds"/>) or <paramref name="conversationId"/>
    /// is longer than <see cref="MaxConversationIdLength"/>: a caller error the HTTP layer should answer with 400.
    /// </exception>
    public async Task<AssistantReply> ReplyAsync(string customerId, string? conversationId, string? text,
        CancellationToken cancellationToken = default)
    {
        CustomerIds.Validate(customerId);
        conversationId ??= "";
        if (conversationId.Length > MaxConversationIdLength)
            throw new ArgumentException($"conversation_id must be at most {MaxConversationIdLength} characters.", nameof(conversationId));

        var parsed = MessageParser.Parse(text);
        var previous = conversations.Get(customerId, conversationId);
        var language = parsed.Language ?? previous?.Language ?? Language.Spanish;
        var state = (previous ?? new ConversationState(language)) with { Language = language };

        // One MCP connection serves every tool call of this message; it connects only if a tool is called.
        await using var companyCalendar = calendar.OpenSession(customerId);
        var (reply, next) = await AnswerAsync(companyCalendar, parsed, state, cancellationToken);
        conversations.Set(customerId, conversationId, next);
        return reply;
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> AnswerAsync(ICalendarSession companyCalendar, ParsedMessage parsed,
        ConversationState state, CancellationToken cancellationToken)
    {
        var language = state.Language;
        var intent = parsed.Intent;

        if (!parsed.MentionsDateOrTime)
        {
            switch (intent)
            {
                case Intent.Greeting:
                    return (Reply(ReplyTexts.Greeting(language), language, intent), state);
                case Intent.Confirm when state.ProposedSlot is { } slot:
                    return (Reply(ReplyTexts.ConfirmNotSupportedYet(slot.Date, slot.TimeOfDay, language), language, intent,
                        slot.Date, slot.TimeOfDay), state with { ProposedSlot = null });
                case Intent.Book or Intent.CheckAvailability:
                    return (Reply(ReplyTexts.AskDate(null, language), language, intent), new ConversationState(language));
                default:
                    return (Reply(ReplyTexts.Help(language), language, Intent.Other), state);
            }
        }

        // A follow-up names only what changes: "¿y a las 4?" keeps the day, "¿y el viernes?" keeps the hour.
        var time = parsed.Time ?? (parsed.Date is not null ? state.PendingTime : null);
        if (parsed.Date is null && state.PendingDate is null)
        {
            return (Reply(ReplyTexts.AskDate(time, language), language, intent, time: time),
                new ConversationState(language, PendingTime: time));
        }

        try
        {
            var company = await companyCalendar.GetCurrentTimeAsync(cancellationToken);
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, language);
            if (understood.DateUnrecognised)
                return (Reply(ReplyTexts.DateNotRecognised(language), language, intent, time: time),
                    new ConversationState(language, PendingTime: time));
            var date = understood.Date ?? state.PendingDate!.Value;
            var today = company.Date;

            if (date < today)
                return (Reply(ReplyTexts.DateInPast(date, language), language, intent, date, time),
                    new ConversationState(language, PendingTime: time));

            var day = await companyCalendar.GetAvailableSlotsAsync(date, cancellationToken);
            var freeStarts = day.Slots
                .Select(s => s.Start.ToInstant().InZone(company.Zone).LocalDateTime)
                .Where(start => start.Date == date)
                .Select(start => start.TimeOfDay)
                .Distinct()
                .Order()
                .ToList();

            if (time is not { } requested)
            {
                return (Reply(ReplyTexts.FreeTimesOfDay(date, freeStarts, language), language, intent, date, null, null, freeStarts),
                    new ConversationState(language, PendingDate: date));
            }

            if (freeStarts.Contains(requested))
            {
                return (Reply(ReplyTexts.Available(language), language, intent, date, requested, true),
                    new ConversationState(language, date, requested, date + requested));
            }

            var nearest = freeStarts
                .OrderBy(t => Math.Abs(Period.Between(requested, t, PeriodUnits.Minutes).Minutes))
                .ThenBy(t => t)
                .Take(AlternativesOffered)
                .Order()
                .ToList();

            // Slots are whole hours unless the company set otherwise. When every free start of the day is on the
            // hour, 15:30 is not "busy" but never bookable: say so, and offer the hours around it.
            if (requested.Minute != 0 && freeStarts.Count > 0 && freeStarts.All(t => t.Minute == 0))
            {
                return (Reply(ReplyTexts.StartsOnTheHour(date, requested, nearest, language), language, intent, date, requested, false, nearest),
                    new ConversationState(language, date, requested));
            }

            return (Reply(ReplyTexts.NotAvailable(date, requested, nearest, language), language, intent, date, requested, false, nearest),
                new ConversationState(language, date, requested));
        }
        catch (CalendarUnavailableException ex)
        {
            // The server's message is for the operator (the adapter logged it); the customer hears what the code means.
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, intent, time: time), state);
        }
        catch (McpServerUnavailableException)
        {
            // The adapter has already logged the cause; the customer only needs to know to try again later.
            return (Reply(ReplyTexts.CalendarUnreachable(language), language, intent, time: time), state);
        }
    }

    private static AssistantReply Reply(string text, Language language, Intent intent, LocalDate? date = null,
        LocalTime? time = null, bool? available = null, IReadOnlyList<LocalTime>? alternatives = null) =>
        new(text, language.Code(), intent.Code(), date?.ToString("yyyy-MM-dd", null),
            time is { } t ? ReplyTexts.Hhmm(t) : null, available,
            alternatives?.Select(ReplyTexts.Hhmm).ToList() ?? []);
}
