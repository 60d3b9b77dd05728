using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

public sealed class AdminOptions
{
    public const string UserVariable = "ADMIN_USER";
    public const string PasswordVariable = "ADMIN_PASSWORD";
    public const string ApiKeyVariable = "ADMIN_API_KEY";
    public const int MinApiKeyLength = 32;
    public const int MaxApiKeyLength = 512;

    public string User { get; set; } = "admin";
    public string Password { get; set; } = "";

    /// <summary>
    /// Bearer keys for automation (ADMIN_API_KEY, comma-separated so a new key can be added before the old one is
    /// removed); empty when unset, and then only the cookie and HTTP Basic are accepted.
    /// </summary>
    public IReadOnlyList<string> ApiKeys { get; set; } = [];

    /// <summary>The keys of an ADMIN_API_KEY value: split at commas, surrounding spaces removed (empty entries kept, so they can be refused).</summary>
    public static IReadOnlyList<string> ParseApiKeys(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',').Select(k => k.Trim()).ToArray();

    /// <summary>The first problem with these settings, one line naming the variable, or null (checked at start-up through BackendSettings).</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(Password))
            return $"{PasswordVariable} is not set: it is the admin's password for /ingresar and HTTP Basic on /v1 (the AppHost generates one).";
        if (string.IsNullOrWhiteSpace(User) || User.Contains(':'))
            return $"{UserVariable} must be a non-empty user name without ':' (default admin).";
        // The messages name the key by position and length only: a key never reaches a log.
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var which = ApiKeys.Count == 1 ? "the key" : $"key {i + 1} of {ApiKeys.Count} (comma-separated)";
            if (key.Length == 0)
                return $"{ApiKeyVariable} has an empty entry ({which}): remove the extra comma.";
            if (key.Length < MinApiKeyLength || key.Length > MaxApiKeyLength)
                return $"{ApiKeyVariable}: {which} has {key.Length} characters; each key needs {MinApiKeyLength} to {MaxApiKeyLength} (generate one with: openssl rand -base64 48).";
            if (!key.All(c => c is > ' ' and < '\x7f'))
                return $"{ApiKeyVariable}: {which} may only contain visible ASCII characters (no spaces), as it travels in an HTTP header.";
        }
        if (ApiKeys.Distinct(StringComparer.Ordinal).Count() != ApiKeys.Count)
            return $"{ApiKeyVariable} lists the same key twice.";
        return null;
    }
}

/// <summary>Checks the admin's user and password in constant time (both compared, as fixed-size hashes).</summary>
public sealed class AdminCredentials(IOptions<AdminOptions> options)
{
    private readonly byte[] _user = Hash(options.Value.User);
    private readonly byte[] _password = Hash(options.Value.Password);

    public string User => options.Value.User;

    public bool Matches(string? user, string? password)
    {
        var userOk = CryptographicOperations.FixedTimeEquals(Hash(user ?? ""), _user);
        var passwordOk = CryptographicOperations.FixedTimeEquals(Hash(password ?? ""), _password);
        return userOk & passwordOk;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

/// <summary>Checks a bearer key against ADMIN_API_KEY in constant time: every configured key is compared, as fixed-size hashes.</summary>
public sealed class AdminApiKeys(IOptions<AdminOptions> options)
{
    private readonly byte[][] _keys = options.Value.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();

    public bool Enabled => _keys.Length > 0;

    public bool Matches(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in _keys) match |= CryptographicOperations.FixedTimeEquals(hash, key);
        return match;
    }
}
