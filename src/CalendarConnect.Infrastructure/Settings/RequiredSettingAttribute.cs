using System.ComponentModel.DataAnnotations;

namespace CalendarConnect.Infrastructure.Settings;

/// <summary>
/// A setting that must not be blank. Its failure is exactly <see cref="ValidationAttribute.ErrorMessage"/>, which names
/// the variable: no member name is added, so the start-up line reads as the operator's instruction and nothing else.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredSettingAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && !string.IsNullOrWhiteSpace(text) ? ValidationResult.Success : new ValidationResult(ErrorMessage);
}
