using System.ComponentModel.DataAnnotations;

namespace CalendarConnect.Infrastructure.Settings;

/// <summary>A setting that must be an absolute http(s) URL; the failure names <paramref name="variable"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteHttpUrlAttribute(string variable) : ValidationAttribute
{
    public string Variable { get; } = variable;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? ValidationResult.Success
            : new ValidationResult($"{Variable} must be an absolute http(s) URL.");
}
