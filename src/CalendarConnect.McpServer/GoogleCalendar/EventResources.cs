using System.Text.Json.Serialization;

namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>
/// An Event's start or end (Calendar v3 <c>EventDateTime</c>). Timed events carry <see cref="DateTime"/> (RFC 3339
/// with offset) and the IANA <see cref="TimeZone"/> they were written in; all-day events carry <see cref="Date"/>.
/// Kept as text: we write exactly what we mean and parse only what we use.
/// </summary>
public sealed record EventDateTime(
    [property: JsonPropertyName("dateTime")] string? DateTime,
    [property: JsonPropertyName("date")] string? Date = null,
    [property: JsonPropertyName("timeZone")] string? TimeZone = null);

/// <summary>extendedProperties: <c>private</c> is seen only through this calendar (not by attendees); we keep our marker there.</summary>
public sealed record EventExtendedProperties(
    [property: JsonPropertyName("private")] IReadOnlyDictionary<string, string>? Private,
    [property: JsonPropertyName("shared")] IReadOnlyDictionary<string, string>? Shared = null);

/// <summary>An attendee: <see cref="Self"/> marks the calendar's owner, whose <see cref="ResponseStatus"/> "declined" frees the time.</summary>
public sealed record EventAttendee(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("self")] bool? Self,
    [property: JsonPropertyName("responseStatus")] string? ResponseStatus);

/// <summary>
/// An Event resource, the fields we write and read (the discovery document has the rest). The read-only ones
/// (<see cref="Updated"/>, <see cref="Transparency"/>, <see cref="Attendees"/>, ...) are what the busy-time mirror needs
/// to apply Google's busy rules; they stay null in what we write.
/// </summary>
public sealed record GoogleEvent(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("start")] EventDateTime? Start,
    [property: JsonPropertyName("end")] EventDateTime? End,
    [property: JsonPropertyName("extendedProperties")] EventExtendedProperties? ExtendedProperties = null,
    [property: JsonPropertyName("htmlLink")] string? HtmlLink = null,
    [property: JsonPropertyName("updated")] string? Updated = null,
    [property: JsonPropertyName("transparency")] string? Transparency = null,
    [property: JsonPropertyName("eventType")] string? EventType = null,
    [property: JsonPropertyName("attendees")] IReadOnlyList<EventAttendee>? Attendees = null,
    [property: JsonPropertyName("recurrence")] IReadOnlyList<string>? Recurrence = null,
    [property: JsonPropertyName("recurringEventId")] string? RecurringEventId = null)
{
    public bool IsCancelled => Status == "cancelled";

    public string? PrivateProperty(string name) =>
        ExtendedProperties?.Private is { } properties && properties.TryGetValue(name, out var value) ? value : null;
}

/// <summary>events.list answer, one page. <see cref="NextSyncToken"/> comes on the last page only; <see cref="TimeZone"/> is the calendar's.</summary>
public sealed record GoogleEventList(
    [property: JsonPropertyName("items")] IReadOnlyList<GoogleEvent>? Items,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken,
    [property: JsonPropertyName("nextSyncToken")] string? NextSyncToken = null,
    [property: JsonPropertyName("timeZone")] string? TimeZone = null);

/// <summary>A push channel as events.watch answers it (Google's Channel resource); <see cref="Expiration"/> is ms since the epoch, as text.</summary>
public sealed record GoogleChannel(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("resourceId")] string? ResourceId,
    [property: JsonPropertyName("resourceUri")] string? ResourceUri,
    [property: JsonPropertyName("expiration")] string? Expiration);
