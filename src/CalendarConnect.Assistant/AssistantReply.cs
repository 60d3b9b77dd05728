using System.Text.Json.Serialization;

namespace CalendarConnect.Assistant;

/// <summary>
/// The assistant's answer to one message. Property names are pinned to snake_case so any serializer settings
/// give the same JSON: <c>{"reply","language","intent","date_iso","time_local","available","alternatives","offered"}</c>.
/// </summary>
/// <param name="Reply">Text to show the customer, in <paramref name="Language"/>. Never echoes the customer's input.</param>
/// <param name="Language">"es" or "en".</param>
/// <param name="Intent">
/// "greeting", "book", "check_availability", "confirm", "decline", "cancel", "my_appointment", "reschedule", "help",
/// "thanks" or "other".
/// </param>
/// <param name="DateIso">The date discussed, yyyy-MM-dd in the company's time zone, when known.</param>
/// <param name="TimeLocal">The time discussed, HH:mm in the company's time zone, when known.</param>
/// <param name="Available">Whether that date and time is free; null when it was not checked.</param>
/// <param name="Alternatives">Free start times (HH:mm) offered instead, or the day's free times when no time was given.</param>
/// <param name="Offered">
/// Every free start the reply offers, as local date and time of the company (yyyy-MM-ddTHH:mm), whatever the day: the
/// alternatives, a day's free times, or the times listed over several days ("next week"). Empty when the reply offers
/// none (a proposal of one time is not an offer to pick from). Exactly the times a following "the second one" picks from.
/// </param>
public sealed record AssistantReply(
    [property: JsonPropertyName("reply")] string Reply,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("intent")] string Intent,
    [property: JsonPropertyName("date_iso")] string? DateIso,
    [property: JsonPropertyName("time_local")] string? TimeLocal,
    [property: JsonPropertyName("available")] bool? Available,
    [property: JsonPropertyName("alternatives")] IReadOnlyList<string> Alternatives,
    IReadOnlyList<string>? Offered = null)
{
    /// <summary>Never null: a reply built without offers has an empty list, so the JSON always has the member.</summary>
    [JsonPropertyName("offered")]
    public IReadOnlyList<string> Offered { get; init; } = Offered ?? [];

    /// <summary>What the message came to (one of <see cref="AssistantOutcomes"/>), for telemetry; never in the JSON.</summary>
    [JsonIgnore]
    public string Outcome { get; init; } = AssistantOutcomes.Answered;
}
