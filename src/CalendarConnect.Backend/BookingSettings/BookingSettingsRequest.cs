using System.Globalization;
using System.Text.Json;
using NodaTime;

namespace CalendarConnect.Backend.BookingSettings;

/// <summary>
/// Checks a PUT body of booking settings before it goes to the MCP server, so the admin reads every mistake in
/// Spanish. The rules and limits are the MCP server's (src/CalendarConnect.McpServer/Availability/BookingSettings.cs);
/// the MCP server checks again, and whatever it still refuses reaches the admin as its own per-field errors.
/// Error keys are the MCP server's too: field names, and "weekly_hours.mon" … for one day.
/// </summary>
public static class BookingSettingsRequest
{
    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 1440;
    public const int MaxBufferMinutes = 720;
    public const int MaxMinNoticeMinutes = 60 * 24 * 30;
    public const int MinHorizonDays = 1;
    public const int MaxHorizonDays = 365;
    public const int MaxRangesPerDay = 12;
    public const int MaxCalendars = 10;
    public const int MaxCalendarIdLength = 256;
    private const int MaxUnknownFieldErrors = 10;

    public static readonly string[] Fields =
        ["time_zone", "weekly_hours", "slot_minutes", "buffer_before_minutes", "buffer_after_minutes", "min_notice_minutes", "horizon_days", "calendar_ids"];

    /// <summary>The errors by field; empty when the body can be sent to the MCP server.</summary>
    public static Dictionary<string, string[]> Validate(JsonElement root)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            if (!list.Contains(message)) list.Add(message);
        }

        if (root.ValueKind != JsonValueKind.Object)
            return new() { ["body"] = ["Debe ser un objeto JSON con la configuración de horarios (time_zone, weekly_hours, slot_minutes, …)."] };

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                if (unknown++ < MaxUnknownFieldErrors)
                    Error(Key(property.Name), $"Campo desconocido. Campos permitidos: {string.Join(", ", Fields)}.");
                continue;
            }
            if (!seen.Add(property.Name))
            {
                Error(property.Name, "El campo aparece más de una vez.");
                continue;
            }

            var value = property.Value;
            switch (property.Name)
            {
                case "time_zone": CheckTimeZone(value, Error); break;
                case "weekly_hours": CheckWeeklyHours(value, Error); break;
                case "slot_minutes": CheckInt(value, property.Name, MinSlotMinutes, MaxSlotMinutes, Error); break;
                case "buffer_before_minutes" or "buffer_after_minutes": CheckInt(value, property.Name, 0, MaxBufferMinutes, Error); break;
                case "min_notice_minutes": CheckInt(value, property.Name, 0, MaxMinNoticeMinutes, Error); break;
                case "horizon_days": CheckInt(value, property.Name, MinHorizonDays, MaxHorizonDays, Error); break;
                case "calendar_ids": CheckCalendarIds(value, Error); break;
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static string Key(string name) => name.Length <= 64 ? name : name[..64] + "…";

    private static void CheckTimeZone(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 64 } id)
        {
            error("time_zone", "Debe ser el nombre de una zona horaria IANA, como \"America/Argentina/Buenos_Aires\", o vacío para usar la del calendario de Google.");
            return;
        }
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            error("time_zone", $"\"{id}\" no es una zona horaria IANA conocida (por ejemplo \"America/Argentina/Buenos_Aires\" o \"Europe/Madrid\").");
    }

    private static void CheckInt(JsonElement value, string field, int min, int max, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return;
        error(field, $"Debe ser un número entero de {min} a {max}.");
    }

    private static void CheckCalendarIds(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            error("calendar_ids", "Debe ser una lista de ids de calendarios de Google, por ejemplo [\"primary\"].");
            return;
        }
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } id || string.IsNullOrWhiteSpace(id)
                || id.Length > MaxCalendarIdLength || id.Any(char.IsControl))
            {
                error("calendar_ids", $"Cada id de calendario debe ser un texto no vacío de como máximo {MaxCalendarIdLength} caracteres.");
                return;
            }
            if (ids.Contains(id, StringComparer.Ordinal))
            {
                error("calendar_ids", $"\"{id}\" aparece dos veces.");
                return;
            }
            ids.Add(id);
        }
        if (ids.Count is 0 or > MaxCalendars)
            error("calendar_ids", $"Indique de 1 a {MaxCalendars} calendarios; \"primary\" es el calendario principal de la cuenta conectada.");
    }

    private static void CheckWeeklyHours(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            error("weekly_hours", "Debe ser un objeto con los días mon … sun, cada uno una lista de rangos [\"HH:mm\", \"HH:mm\"], por ejemplo {\"mon\": [[\"09:00\", \"13:00\"], [\"15:00\", \"19:00\"]]}.");
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var day in value.EnumerateObject())
        {
            var field = "weekly_hours." + Key(day.Name);
            if (!McpServer.BookingSettingsDocument.DayKeys.Contains(day.Name, StringComparer.Ordinal))
            {
                if (unknown++ < MaxUnknownFieldErrors) error(field, "Día desconocido. Use mon, tue, wed, thu, fri, sat o sun.");
                continue;
            }
            if (!seen.Add(day.Name))
            {
                error(field, "El día aparece más de una vez.");
                continue;
            }
            CheckDay(day.Value, field, error);
        }
    }

    private static void CheckDay(JsonElement value, string field, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            error(field, "Debe ser una lista de rangos [\"HH:mm\", \"HH:mm\"]; [] significa cerrado.");
            return;
        }
        if (value.GetArrayLength() > MaxRangesPerDay)
        {
            error(field, $"Como máximo {MaxRangesPerDay} rangos por día.");
            return;
        }
        var ranges = new List<(int Start, int End)>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2
                || Minute(item[0], endOfDay: false) is not { } start || Minute(item[1], endOfDay: true) is not { } end)
            {
                error(field, "Cada rango debe ser [\"desde\", \"hasta\"] con horas de 24 h en formato HH:mm, por ejemplo [\"09:00\", \"18:00\"]; \"24:00\" puede cerrar el día.");
                return;
            }
            if (end <= start)
            {
                error(field, $"El rango {Format(start)}–{Format(end)} termina antes de empezar: \"hasta\" debe ser posterior a \"desde\".");
                return;
            }
            ranges.Add((start, end));
        }
        ranges.Sort();
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start < ranges[i - 1].End)
            {
                error(field, $"Los rangos {Format(ranges[i - 1].Start)}–{Format(ranges[i - 1].End)} y {Format(ranges[i].Start)}–{Format(ranges[i].End)} se superponen.");
                return;
            }
        }
    }

    private static string Format(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    /// <summary>"HH:mm" exactly, 00:00–23:59; "24:00" only as the end of a range.</summary>
    private static int? Minute(JsonElement value, bool endOfDay)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: 5 } text || text[2] != ':') return null;
        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)) return null;
        if (hour == 24 && minute == 0 && endOfDay) return 24 * 60;
        return hour is >= 0 and <= 23 && minute is >= 0 and <= 59 ? hour * 60 + minute : null;
    }
}
