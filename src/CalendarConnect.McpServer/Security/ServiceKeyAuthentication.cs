using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CalendarConnect.McpServer.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Security;

/// <summary>
/// "Who may call": the backend and the assistant present MCP_API_KEY as <c>Authorization: Bearer …</c>.
/// Compared in constant time over SHA-256 digests, so neither content nor length leaks through timing.
/// </summary>
public sealed class ServiceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<McpServerSettings> settings) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ServiceKey";

    private readonly byte[] _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(settings.Value.McpApiKey));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 1024)
            return Task.FromResult(AuthenticateResult.Fail("Unsupported authorization header."));

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(presented, _expectedDigest))
            return Task.FromResult(AuthenticateResult.Fail("Invalid service key."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "service")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            title = "Unauthorized",
            status = 401,
            detail = "Send the service key as 'Authorization: Bearer <MCP_API_KEY>'.",
        }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
