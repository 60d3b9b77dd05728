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
public sealed class BookingAssistant(
    ICalendarAdapter calendar,
    IConversationStore conversations,
    TimeProvider clock)
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

        var (reply, next) = await AnswerAsync(customerId, parsed, state, cancellationToken);
        conversations.Set(customerId, conversationId, next);
        return reply;
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> AnswerAsync(string customerId, ParsedMessage parsed,
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
            var company = await calendar.GetCurrentTimeAsync(customerId, cancellationToken);
            var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(company.Zone).Date;

            LocalDate date;
            if (parsed.Date is not null)
            {
                if (parsed.Date.Resolve(today) is not { } resolved)
                    return (Reply(ReplyTexts.DateNotRecognised(language), language, intent, time: time),
                        new ConversationState(language, PendingTime: time));
                date = resolved;
            }
            else
            {
                date = state.PendingDate!.Value;
            }

            if (date < today)
                return (Reply(ReplyTexts.DateInPast(date, language), language, intent, date, time),
                    new ConversationState(language, PendingTime: time));

            var day = await calendar.GetAvailableSlotsAsync(customerId, date.ToString("yyyy-MM-dd", null), cancellationToken);
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
            return (Reply(ReplyTexts.NotAvailable(date, requested, nearest, language), language, intent, date, requested, false, nearest),
                new ConversationState(language, date, requested));
        }
        catch (CalendarUnavailableException ex)
        {
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Message, language), language, intent, time: time), state);
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
