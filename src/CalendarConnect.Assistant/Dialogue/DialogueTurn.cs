using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>One customer message and what it is answered against.</summary>
/// <param name="Words">How replies are worded: the language, and the company's year once its clock was read.</param>
internal sealed record DialogueTurn(ICalendarSession Calendar, string CustomerId, string ConversationId, string? Text,
    ParsedMessage Parsed, ConversationState State, ReplyContext Words)
{
    public Language Language => State.Language;

    public Intent Intent => Parsed.Intent;

    /// <summary>The same turn once the company's clock was read: a date in another year is then said with its year.</summary>
    public DialogueTurn Knowing(CompanyTime company) => this with { Words = Words.InCompanyYear(company.Date.Year) };

    /// <summary>The reply to this message, in its language.</summary>
    /// <param name="offered">Every free start the reply's text offers to pick from, whatever its day.</param>
    public AssistantReply Reply(string text, Intent intent, LocalDate? date = null, LocalTime? time = null, bool? available = null,
        IReadOnlyList<LocalTime>? alternatives = null, IReadOnlyList<LocalDateTime>? offered = null) =>
        new(text, Language.Code(), intent.Code(), date?.ToString("yyyy-MM-dd", null),
            time is { } t ? ReplyTexts.Hhmm(t) : null, available,
            alternatives?.Select(ReplyTexts.Hhmm).ToList() ?? [],
            offered?.Select(ReplyTexts.LocalStart).ToList() ?? []);
}

/// <summary>A reply and the conversation state it leaves.</summary>
internal readonly record struct Answer(AssistantReply Reply, ConversationState Next);
