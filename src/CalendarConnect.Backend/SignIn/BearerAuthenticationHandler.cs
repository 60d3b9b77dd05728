using System.Security.Claims;
using System.Text.Encodings.Web;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> with a key of ADMIN_API_KEY, for automation. The key is never logged or echoed.
/// </summary>
/// <remarks>
/// Failures are not counted by <see cref="SignInThrottle"/>: a key of 32+ random characters cannot be guessed, and a
/// misconfigured script must not lock the admin's own browser (same address) out of /ingresar.
/// </remarks>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string ApiKeyUser = "api-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var parts = Request.Headers.Authorization.ToString().Trim().Split(' ', 2);
        if (!parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!keys.Enabled) return Task.FromResult(AuthenticateResult.Fail("Bearer keys are not enabled (ADMIN_API_KEY is unset)."));
        var presented = parts.Length > 1 ? parts[1].Trim() : "";
        if (presented.Length is 0 or > AdminOptions.MaxApiKeyLength || !keys.Matches(presented))
            return Task.FromResult(AuthenticateResult.Fail("Invalid bearer key."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, ApiKeyUser), new Claim(ClaimTypes.Role, "admin")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"CalendarConnect\", error=\"invalid_token\"";
        await Problems.Unauthorized().ExecuteAsync(Context);
    }
}
