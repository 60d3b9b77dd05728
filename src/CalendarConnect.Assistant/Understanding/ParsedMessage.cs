using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>What one message says, independent of the company's clock.</summary>
/// <param name="Language">Null when the message gives no clue (e.g. "15:00"): keep the conversation's language.</param>
/// <param name="Date">The date the customer named, if any, still unresolved.</param>
/// <param name="Time">The local time the customer named, if any.</param>
public sealed record ParsedMessage(Language? Language, Intent Intent, DateExpression? Date, LocalTime? Time)
{
    public bool MentionsDateOrTime => Date is not null || Time is not null;
}
