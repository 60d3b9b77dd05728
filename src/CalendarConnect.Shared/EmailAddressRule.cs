using System.Text.RegularExpressions;

namespace CalendarConnect.Shared;

/// <summary>
/// What a company's email (its Google account) may look like: the one rule of both services,
/// so the backend never saves an email the MCP server refuses.
/// An RFC 5322 dot-atom local part (no leading, trailing or doubled dot; no quoted forms), at most 64 characters, and a
/// domain of two or more DNS labels (letters, digits, inner hyphens; at most 63 each); at most 254 characters in all.
/// ASCII only: Google account addresses are.
/// </summary>
public static partial class EmailAddressRule
{
    public const int MaxLength = 254;
    public const int MaxLocalPartLength = 64;

    public static bool IsValid(string? email) =>
        email is { Length: > 0 and <= MaxLength } && email.IndexOf('@') is > 0 and <= MaxLocalPartLength && Pattern().IsMatch(email);

    // \z, not $: "$" also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex Pattern();
}
