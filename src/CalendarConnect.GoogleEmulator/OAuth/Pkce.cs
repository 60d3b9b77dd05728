using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>RFC 7636 proof key checks.</summary>
public static partial class Pkce
{
    /// <summary>43–128 characters of [A-Z a-z 0-9 - . _ ~], for verifiers and challenges alike.</summary>
    public static bool IsWellFormed(string value) => Syntax().IsMatch(value);

    public static bool Verifies(string verifier, string challenge, string method) => method switch
    {
        "S256" => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(S256(verifier)), Encoding.ASCII.GetBytes(challenge)),
        _ => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(verifier), Encoding.ASCII.GetBytes(challenge)),
    };

    public static string S256(string verifier) =>
        Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[A-Za-z0-9._~-]{43,128}$")]
    private static partial Regex Syntax();
}
