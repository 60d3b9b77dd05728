using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CalendarConnect.McpServer.TokenVault;

/// <summary>A token that is not a valid Fernet token for any of our keys. The message never contains key material.</summary>
public sealed class FernetException(string message) : Exception(message);

/// <summary>One Fernet key: 128-bit signing key followed by 128-bit AES key, url-safe base64 of 32 bytes.</summary>
public sealed class FernetKey
{
    private FernetKey(byte[] signingKey, byte[] encryptionKey)
    {
        SigningKey = signingKey;
        EncryptionKey = encryptionKey;
    }

    internal byte[] SigningKey { get; }
    internal byte[] EncryptionKey { get; }

    public static bool TryParse(string? text, out FernetKey key)
    {
        key = null!;
        if (!Base64Url.TryDecode(text?.Trim(), out var bytes) || bytes.Length != 32) return false;
        key = new FernetKey(bytes[..16], bytes[16..]);
        return true;
    }

    /// <summary>A fresh random key in the format Python's <c>Fernet.generate_key()</c> produces.</summary>
    public static string Generate() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
}

/// <summary>
/// Fernet (https://github.com/fernet/spec) with Python <c>MultiFernet</c> semantics: the first key encrypts,
/// every key is tried to decrypt. Written here because no maintained .NET package exists; it is checked
/// against the spec's vectors and against Python's <c>cryptography</c> in the tests.
/// </summary>
public sealed class Fernet
{
    private const byte Version = 0x80;
    private const int HeaderLength = 1 + 8 + 16;
    private const int HmacLength = 32;
    private const int MinimumLength = HeaderLength + 16 + HmacLength;

    /// <summary>Same tolerance as Python's cryptography (_MAX_CLOCK_SKEW): tokens from up to 60 s in the future are fine.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<FernetKey> _keys;
    private readonly TimeProvider _time;

    public Fernet(IReadOnlyList<FernetKey> keys, TimeProvider time)
    {
        if (keys.Count == 0) throw new ArgumentException("At least one Fernet key is required.", nameof(keys));
        _keys = keys;
        _time = time;
    }

    public int KeyCount => _keys.Count;

    public string Encrypt(string plaintext) => Encrypt(Encoding.UTF8.GetBytes(plaintext));

    public string Encrypt(ReadOnlySpan<byte> plaintext) =>
        Encrypt(plaintext, _time.GetUtcNow().ToUnixTimeSeconds(), RandomNumberGenerator.GetBytes(16));

    /// <summary>Deterministic form for the spec's "generate" vectors; production code never chooses the IV.</summary>
    internal string Encrypt(ReadOnlySpan<byte> plaintext, long unixSeconds, byte[] iv)
    {
        var key = _keys[0];
        byte[] ciphertext;
        using (var aes = Aes.Create())
        {
            aes.Key = key.EncryptionKey;
            ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        }

        var token = new byte[HeaderLength + ciphertext.Length + HmacLength];
        token[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(token.AsSpan(1, 8), unixSeconds);
        iv.CopyTo(token.AsSpan(9, 16));
        ciphertext.CopyTo(token.AsSpan(HeaderLength));
        HMACSHA256.HashData(key.SigningKey, token.AsSpan(0, HeaderLength + ciphertext.Length), token.AsSpan(HeaderLength + ciphertext.Length));
        return Base64Url.Encode(token);
    }

    public string DecryptToString(string token, TimeSpan? ttl = null) => Encoding.UTF8.GetString(Decrypt(token, ttl));

    /// <summary>Verifies and decrypts. <paramref name="ttl"/> limits the token's age (none by default, as in Python).</summary>
    public byte[] Decrypt(string token, TimeSpan? ttl = null)
    {
        if (!Base64Url.TryDecode(token, out var data)) throw new FernetException("The token is not valid base64url.");
        if (data.Length < MinimumLength || data[0] != Version) throw new FernetException("The token is malformed.");
        if ((data.Length - HeaderLength - HmacLength) % 16 != 0) throw new FernetException("The token's ciphertext is not a whole number of blocks.");

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var timestamp = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(1, 8));
        if (ttl is { } maxAge && timestamp + (long)maxAge.TotalSeconds < now) throw new FernetException("The token has expired.");
        if (timestamp > now + (long)MaxClockSkew.TotalSeconds) throw new FernetException("The token's timestamp is too far in the future.");

        var signed = data.AsSpan(0, data.Length - HmacLength);
        var mac = data.AsSpan(data.Length - HmacLength);
        Span<byte> expected = stackalloc byte[HmacLength];
        foreach (var key in _keys)
        {
            HMACSHA256.HashData(key.SigningKey, signed, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, mac)) continue;
            try
            {
                using var aes = Aes.Create();
                aes.Key = key.EncryptionKey;
                return aes.DecryptCbc(data.AsSpan(HeaderLength, data.Length - HeaderLength - HmacLength), data.AsSpan(9, 16), PaddingMode.PKCS7);
            }
            catch (CryptographicException)
            {
                throw new FernetException("The token's padding is invalid.");
            }
        }

        throw new FernetException("The token was not made with any of the configured keys.");
    }

    /// <summary>True when the token was encrypted with the first (current) key; rotation re-encrypts the others.</summary>
    public bool IsUnderCurrentKey(string token)
    {
        if (!Base64Url.TryDecode(token, out var data) || data.Length < MinimumLength) return false;
        Span<byte> expected = stackalloc byte[HmacLength];
        HMACSHA256.HashData(_keys[0].SigningKey, data.AsSpan(0, data.Length - HmacLength), expected);
        return CryptographicOperations.FixedTimeEquals(expected, data.AsSpan(data.Length - HmacLength));
    }
}

/// <summary>Strict url-safe base64 (RFC 4648 §5), padding optional on input and always written on output, as Python does.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > 1_000_000) return false;
        foreach (var c in text)
        {
            // Reject anything outside the url-safe alphabet: a lenient decoder would silently skip bad characters.
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=')) return false;
        }

        var standard = text.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        if (text.Length - text.TrimEnd('=').Length > 2 || standard.Length % 4 == 1) return false;
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        try
        {
            bytes = Convert.FromBase64String(standard);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
