using System.Security.Cryptography;
using System.Text;

namespace CalendarConnect.Backend.WhatsApp;

public enum SignatureCheck { Valid, Missing, Mismatch }

/// <summary>
/// Meta's X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of the raw request body under the app secret.
/// Compared in constant time, so the answer's timing says nothing about how much of a forged signature was right.
/// </summary>
public static class WhatsAppSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static SignatureCheck Check(string? header, ReadOnlySpan<byte> body, string appSecret)
    {
        if (string.IsNullOrWhiteSpace(header)) return SignatureCheck.Missing;
        var value = header.Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || value.Length != Prefix.Length + 64)
            return SignatureCheck.Mismatch;
        byte[] given;
        try { given = Convert.FromHexString(value.AsSpan(Prefix.Length)); }
        catch (FormatException) { return SignatureCheck.Mismatch; }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(given, expected) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value for <paramref name="body"/> (tests and tools sign with it).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>Constant-time comparison of two strings (the verify token).</summary>
    public static bool SameSecret(string? given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given ?? "")), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
