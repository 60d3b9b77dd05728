using System.Text.Json;
using System.Text.RegularExpressions;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>The body of POST /v1/customer-calendars/connect, validated field by field.</summary>
public sealed partial record ConnectRequest(string CustomerId, string CustomerEmail, string CustomerName)
{
    public const int MaxIdLength = 64;
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 200;

    private static readonly string[] Fields = ["customer_id", "customer_email", "customer_name"];

    public static string? CustomerIdError(string value) =>
        !IsWellFormed(value) || !CustomerIdPattern().IsMatch(value)
            ? "Debe tener de 1 a 64 caracteres (letras, números, punto, guion o guion bajo) y empezar con una letra o un número, por ejemplo empresa-abc-123."
            : null;

    public static string? CustomerEmailError(string value) =>
        value.Length == 0 ? "Es obligatorio."
        : value.Length > MaxEmailLength ? $"Puede tener como máximo {MaxEmailLength} caracteres."
        : !IsWellFormed(value) || !EmailPattern().IsMatch(value) || value.IndexOf('@') > 64
            ? "Debe ser un email válido, por ejemplo contacto@empresa-abc.com."
            : null;

    public static string? CustomerNameError(string value) =>
        value.Length == 0 ? "Es obligatorio."
        : value.Length > MaxNameLength ? $"Puede tener como máximo {MaxNameLength} caracteres."
        : !IsWellFormed(value) || value.Any(char.IsControl) ? "No puede contener caracteres de control."
        : null;

    /// <summary>Exactly the three string fields; errors keyed by field name (the ProblemDetails "errors").</summary>
    public static (ConnectRequest? Request, Dictionary<string, string[]> Errors) Validate(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["Debe ser un objeto JSON con customer_id, customer_email y customer_name."];
            return (null, errors);
        }

        var values = new Dictionary<string, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors[Key(property.Name)] = ["Aparece más de una vez."];
                continue;
            }
            if (!Fields.Contains(property.Name))
            {
                if (errors.Count < 10) errors[Key(property.Name)] = ["Campo desconocido: solo se aceptan customer_id, customer_email y customer_name."];
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors[property.Name] = ["Debe ser texto (string)."];
                continue;
            }
            try { values[property.Name] = property.Value.GetString()!; }
            catch (InvalidOperationException) // invalid UTF-8 or a lone surrogate escape such as "\ud800"
            {
                errors[property.Name] = ["Contiene caracteres que no son texto válido."];
            }
        }

        foreach (var field in Fields)
            if (!seen.Contains(field)) errors[field] = ["Es obligatorio."];

        // The id is taken as typed (it is an identifier); email and name lose surrounding spaces.
        var id = values.GetValueOrDefault("customer_id");
        var email = values.GetValueOrDefault("customer_email")?.Trim();
        var name = values.GetValueOrDefault("customer_name")?.Trim();
        if (id is not null && CustomerIdError(id) is { } idError) errors["customer_id"] = [idError];
        if (email is not null && CustomerEmailError(email) is { } emailError) errors["customer_email"] = [emailError];
        if (name is not null && CustomerNameError(name) is { } nameError) errors["customer_name"] = [nameError];

        return errors.Count == 0 ? (new ConnectRequest(id!, email!, name!), errors) : (null, errors);
    }

    private static string Key(string name) => name.Length <= 64 ? name : name[..64] + "…";

    /// <summary>No lone UTF-16 surrogates (JSON "\ud800" would otherwise be stored as U+FFFD).</summary>
    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(value[i])) return false;
        }
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex CustomerIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex EmailPattern();
}
