using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using CalendarConnect.Backend.Web;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.BookingSettings;

/// <summary>
/// The body of PUT …/booking-settings, bound by the framework and checked by <see cref="Validate"/> before it goes to the
/// MCP server, so the admin reads every mistake in Spanish at once. The fields, limits and time format are the MCP
/// server's (<see cref="BookingSettingsRules"/>, which both use); the MCP server checks again, and whatever it still
/// refuses reaches the admin as its own per-field errors. Error keys are the MCP server's too: field names, and
/// "weekly_hours.mon" … for one day.
/// </summary>
/// <remarks>
/// A field left out takes the MCP server's default (a PUT replaces the whole object); a number or flag sent as null is
/// refused (<see cref="NotNullJsonConverter{T}"/>). <see cref="WeeklyHours"/> and <see cref="CalendarIds"/> are read as
/// JSON so each day and each id gets its own error; unknown fields are gathered (<see cref="UnknownFields"/>) so all of
/// them are named at once, up to <see cref="MaxUnknownFieldErrors"/>.
/// </remarks>
public sealed record BookingSettingsRequest(
    [property: JsonPropertyName(BookingSettingsRules.TimeZone)] string? TimeZone,
    [property: JsonPropertyName(BookingSettingsRules.WeeklyHours)] JsonElement WeeklyHours,
    [property: JsonPropertyName(BookingSettingsRules.SlotMinutes), JsonConverter(typeof(NotNullJsonConverter<int>))] int? SlotMinutes,
    [property: JsonPropertyName(BookingSettingsRules.BufferBeforeMinutes), JsonConverter(typeof(NotNullJsonConverter<int>))] int? BufferBeforeMinutes,
    [property: JsonPropertyName(BookingSettingsRules.BufferAfterMinutes), JsonConverter(typeof(NotNullJsonConverter<int>))] int? BufferAfterMinutes,
    [property: JsonPropertyName(BookingSettingsRules.MinNoticeMinutes), JsonConverter(typeof(NotNullJsonConverter<int>))] int? MinNoticeMinutes,
    [property: JsonPropertyName(BookingSettingsRules.HorizonDays), JsonConverter(typeof(NotNullJsonConverter<int>))] int? HorizonDays,
    [property: JsonPropertyName(BookingSettingsRules.CalendarIds)] JsonElement CalendarIds,
    [property: JsonPropertyName(BookingSettingsRules.AllowOffGridStarts), JsonConverter(typeof(NotNullJsonConverter<bool>))] bool? AllowOffGridStarts)
    : IValidatableObject
{
    private const int MaxUnknownFieldErrors = 10;

    /// <summary>The request as the MCP server reads it: the fields given, nothing else (left out stays left out).</summary>
    private static readonly JsonSerializerOptions McpJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary>Fields the settings do not have; valid only when empty.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; init; }

    /// <summary>The message for a field whose value is not of its kind (the binding failure names the field).</summary>
    public static string? WrongValue(string field) => field switch
    {
        BookingSettingsRules.TimeZone => ApiTexts.TimeZoneShape,
        BookingSettingsRules.SlotMinutes => ApiTexts.WholeNumberBetween(BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes),
        BookingSettingsRules.BufferBeforeMinutes or BookingSettingsRules.BufferAfterMinutes => ApiTexts.WholeNumberBetween(0, BookingSettingsRules.MaxBufferMinutes),
        BookingSettingsRules.MinNoticeMinutes => ApiTexts.WholeNumberBetween(0, BookingSettingsRules.MaxMinNoticeMinutes),
        BookingSettingsRules.HorizonDays => ApiTexts.WholeNumberBetween(BookingSettingsRules.MinHorizonDays, BookingSettingsRules.MaxHorizonDays),
        BookingSettingsRules.AllowOffGridStarts => ApiTexts.OffGridStartsShape,
        _ => null,
    };

    /// <summary>A field the settings do not have: the message lists the ones they do.</summary>
    public static string UnknownField(string field) => ApiTexts.SettingsUnknownField(string.Join(", ", BookingSettingsRules.Fields));

    /// <summary>The valid request as JSON for the MCP server.</summary>
    public string ToMcpJson() => JsonSerializer.Serialize(this, McpJson);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var field in (UnknownFields?.Keys ?? Enumerable.Empty<string>()).Take(MaxUnknownFieldErrors))
            yield return Error(JsonRequestFailure.FieldKey(field), UnknownField(field));
        if (TimeZone is not null && TimeZoneError(TimeZone) is { } zoneError) yield return Error(BookingSettingsRules.TimeZone, zoneError);
        if (WeeklyHours.ValueKind != JsonValueKind.Undefined)
            foreach (var error in WeeklyHoursErrors(WeeklyHours)) yield return error;
        foreach (var error in new[]
                 {
                     RangeError(BookingSettingsRules.SlotMinutes, SlotMinutes, BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes),
                     RangeError(BookingSettingsRules.BufferBeforeMinutes, BufferBeforeMinutes, 0, BookingSettingsRules.MaxBufferMinutes),
                     RangeError(BookingSettingsRules.BufferAfterMinutes, BufferAfterMinutes, 0, BookingSettingsRules.MaxBufferMinutes),
                     RangeError(BookingSettingsRules.MinNoticeMinutes, MinNoticeMinutes, 0, BookingSettingsRules.MaxMinNoticeMinutes),
                     RangeError(BookingSettingsRules.HorizonDays, HorizonDays, BookingSettingsRules.MinHorizonDays, BookingSettingsRules.MaxHorizonDays),
                 })
            if (error is not null) yield return error;
        if (CalendarIds.ValueKind != JsonValueKind.Undefined && CalendarIdsError(CalendarIds) is { } idsError)
            yield return Error(BookingSettingsRules.CalendarIds, idsError);
    }

    private static ValidationResult Error(string field, string message) => new(message, [field]);

    private static ValidationResult? RangeError(string field, int? value, int min, int max) =>
        value is { } number && (number < min || number > max) ? Error(field, ApiTexts.WholeNumberBetween(min, max)) : null;

    private static string? TimeZoneError(string id) =>
        id.Length is 0 or > BookingSettingsRules.MaxTimeZoneLength ? ApiTexts.TimeZoneShape
        : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null ? ApiTexts.UnknownTimeZone(id)
        : null;

    private static string? CalendarIdsError(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) return ApiTexts.CalendarIdsShape;
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } id || string.IsNullOrWhiteSpace(id)
                || id.Length > BookingSettingsRules.MaxCalendarIdLength || id.Any(char.IsControl))
                return ApiTexts.CalendarIdLength(BookingSettingsRules.MaxCalendarIdLength);
            if (ids.Contains(id, StringComparer.Ordinal)) return ApiTexts.AppearsTwice(id);
            ids.Add(id);
        }
        return ids.Count is 0 or > BookingSettingsRules.MaxCalendars ? ApiTexts.CalendarCount(BookingSettingsRules.MaxCalendars) : null;
    }

    /// <summary>One error per day that is wrong (keyed "weekly_hours.mon" …), or one for the whole field when it is no object.</summary>
    private static IEnumerable<ValidationResult> WeeklyHoursErrors(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            yield return Error(BookingSettingsRules.WeeklyHours, ApiTexts.WeeklyHoursShape);
            yield break;
        }
        // A day given twice never gets here: the binding refuses duplicate properties, nested ones too.
        var unknown = 0;
        foreach (var day in value.EnumerateObject())
        {
            var field = BookingSettingsRules.WeeklyHours + "." + JsonRequestFailure.FieldKey(day.Name);
            if (!BookingSettingsRules.DayKeys.Contains(day.Name, StringComparer.Ordinal))
            {
                if (unknown++ < MaxUnknownFieldErrors) yield return Error(field, ApiTexts.UnknownDay);
            }
            else if (DayError(day.Value) is { } error) yield return Error(field, error);
        }
    }

    private static string? DayError(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) return ApiTexts.DayShape;
        if (value.GetArrayLength() > BookingSettingsRules.MaxRangesPerDay) return ApiTexts.RangesPerDay(BookingSettingsRules.MaxRangesPerDay);
        var ranges = new List<(int Start, int End)>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2
                || Minute(item[0], endOfDay: false) is not { } start || Minute(item[1], endOfDay: true) is not { } end)
                return ApiTexts.RangeShape;
            if (end <= start) return ApiTexts.RangeInverted(Format(start), Format(end));
            ranges.Add((start, end));
        }
        ranges.Sort();
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start < ranges[i - 1].End)
                return ApiTexts.RangesOverlap($"{Format(ranges[i - 1].Start)}–{Format(ranges[i - 1].End)}", $"{Format(ranges[i].Start)}–{Format(ranges[i].End)}");
        }
        return null;
    }

    private static string Format(int minute) => BookingSettingsRules.FormatMinute(minute);

    private static int? Minute(JsonElement value, bool endOfDay) =>
        value.ValueKind == JsonValueKind.String ? BookingSettingsRules.ParseMinute(value.GetString(), endOfDay) : null;
}
