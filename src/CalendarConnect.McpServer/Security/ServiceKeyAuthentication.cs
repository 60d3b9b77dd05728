using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.McpKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Security;

/// <summary>The two kinds of caller and what each may do.</summary>
public static class Policies
{
    /// <summary>The backend and the assistant, with MCP_API_KEY: everything.</summary>
    public const string Service = "service";

    /// <summary>The service, or a company with its own MCP key (only its own calendar: see <see cref="CompanyScope"/>).</summary>
    public const string McpCaller = "mcp-caller";

    public const string RoleClaim = "calendarconnect/role";
    public const string CustomerClaim = "calendarconnect/customer_id";
    public const string ServiceRole = "service";
    public const string CompanyRole = "company";

    public static AuthorizationBuilder AddCallerPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Service, p => p.RequireClaim(RoleClaim, ServiceRole))
        .AddPolicy(McpCaller, p => p.RequireClaim(RoleClaim, ServiceRole, CompanyRole));
}

/// <summary>
/// "Who may call": <c>Authorization: Bearer …</c> with MCP_API_KEY (compared in constant time over SHA-256
/// digests, so neither content nor length leaks through timing), or with a company's own MCP key.
/// </summary>
public sealed class ServiceKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<McpServerSettings> settings,
    CompanyMcpKeys companyKeys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ServiceKey";

    private readonly byte[] _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(settings.Value.McpApiKey));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 1024)
            return AuthenticateResult.Fail("Unsupported authorization header.");

        var presented = header["Bearer ".Length..].Trim();
        if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expectedDigest))
            return Success([new Claim(Policies.RoleClaim, Policies.ServiceRole)]);

        if (CompanyMcpKeys.LooksLikeKey(presented) && await companyKeys.FindOwnerAsync(presented, Context.RequestAborted) is { } owner)
            return Success([new Claim(Policies.RoleClaim, Policies.CompanyRole), new Claim(Policies.CustomerClaim, owner.CustomerId)]);

        return AuthenticateResult.Fail("Invalid key.");
    }

    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => WriteProblemAsync(StatusCodes.Status401Unauthorized,
        $"Send the service key as 'Authorization: Bearer <{ServiceKeyRule.Variable}>', or a company's own MCP key.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => WriteProblemAsync(StatusCodes.Status403Forbidden,
        CompanyScope.OtherCompany);

    private Task WriteProblemAsync(int status, string detail)
    {
        if (status == StatusCodes.Status401Unauthorized) Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(Context, status, detail);
    }
}

/// <summary>
/// A company key reaches only its own calendar: on /mcp, an X-Customer-Id naming another company is refused with
/// 403 before any tool runs; a missing header means the key's own company.
/// </summary>
public sealed class CompanyScope(RequestDelegate next)
{
    /// <summary>The answer to a company key used for another company's calendar (here, or by a policy refusing it).</summary>
    public const string OtherCompany = "This key may only use the calendar of its own company.";

    public async Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        if (user.HasClaim(Policies.RoleClaim, Policies.CompanyRole) && user.FindFirst(Policies.CustomerClaim)?.Value is { } own)
        {
            var asked = context.Request.Headers[CustomerIdHeader.Name];
            if (asked.Count == 0) context.Request.Headers[CustomerIdHeader.Name] = own;
            else if (asked.Count > 1 || !string.Equals(asked[0]?.Trim(), own, StringComparison.Ordinal))
            {
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, OtherCompany);
                return;
            }
        }

        await next(context);
    }
}
