using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

public sealed class AdminOptions
{
    public const string UserVariable = "ADMIN_USER";
    public const string PasswordVariable = "ADMIN_PASSWORD";

    public string User { get; set; } = "admin";
    public string Password { get; set; } = "";
}

public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (string.IsNullOrEmpty(options.Password))
            return ValidateOptionsResult.Fail($"{AdminOptions.PasswordVariable} is not set: it is the admin's password for /ingresar and HTTP Basic on /v1 (the AppHost generates one).");
        if (string.IsNullOrWhiteSpace(options.User) || options.User.Contains(':'))
            return ValidateOptionsResult.Fail($"{AdminOptions.UserVariable} must be a non-empty user name without ':' (default admin).");
        return ValidateOptionsResult.Success;
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
