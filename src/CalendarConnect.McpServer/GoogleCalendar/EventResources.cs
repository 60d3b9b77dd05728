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

/// <summary>An Event resource, the fields we write and read (the discovery document has the rest).</summary>
public sealed record GoogleEvent(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("start")] EventDateTime? Start,
    [property: JsonPropertyName("end")] EventDateTime? End,
    [property: JsonPropertyName("extendedProperties")] EventExtendedProperties? ExtendedProperties = null,
    [property: JsonPropertyName("htmlLink")] string? HtmlLink = null)
{
    public bool IsCancelled => Status == "cancelled";

    public string? PrivateProperty(string name) =>
        ExtendedProperties?.Private is { } properties && properties.TryGetValue(name, out var value) ? value : null;
}

/// <summary>events.list answer, one page.</summary>
public sealed record GoogleEventList(
    [property: JsonPropertyName("items")] IReadOnlyList<GoogleEvent>? Items,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken);
