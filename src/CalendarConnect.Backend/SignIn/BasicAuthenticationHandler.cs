using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

/// <summary>HTTP Basic with ADMIN_USER / ADMIN_PASSWORD, for automation against the API.</summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AdminCredentials credentials, SignInThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private TimeSpan? _lockedOutFor;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());

        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? "")); }
        catch (FormatException) { return Task.FromResult(AuthenticateResult.Fail("Malformed Basic credentials.")); }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return Task.FromResult(AuthenticateResult.Fail("Malformed Basic credentials."));

        var attempt = SignInAttempt.From(Context, decoded[..colon], SignInAttempt.Basic);
        _lockedOutFor = throttle.LockedOutFor(attempt);
        if (_lockedOutFor is not null) return Task.FromResult(AuthenticateResult.Fail("Too many failed attempts."));

        if (!credentials.Matches(decoded[..colon], decoded[(colon + 1)..]))
        {
            throttle.RecordFailure(attempt);
            return Task.FromResult(AuthenticateResult.Fail("Invalid credentials."));
        }
        throttle.RecordSuccess(attempt);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, credentials.User), new Claim(ClaimTypes.Role, "admin")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_lockedOutFor is { } wait)
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
            await Problems.TooManyAttempts(wait).ExecuteAsync(Context);
            return;
        }
        Response.Headers.WWWAuthenticate = "Basic realm=\"CalendarConnect\", charset=\"UTF-8\"";
        await Problems.Unauthorized().ExecuteAsync(Context);
    }
}
