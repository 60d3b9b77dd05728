using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>
/// Where and how the assistant reaches the MCP Calendar Server: MCP_SERVER_URL and MCP_API_KEY, bound by the
/// configuration binder and read nowhere else (the backend's own MCP client uses these options too), validated at
/// start-up by <see cref="McpCalendarOptionsValidator"/>. The timeouts and attempts are not settings: they are fixed by
/// the MCP server's budget.
/// </summary>
public sealed class McpCalendarOptions : IValidatableObject
{
    public const string ServerUrlKey = "MCP_SERVER_URL";
    public const string ApiKeyKey = ServiceKeyRule.Variable;
    public const string DefaultServerUrl = "http://localhost:60000";

    /// <summary>Base URL of the MCP Calendar Server (<c>MCP_SERVER_URL</c>); the MCP endpoint is <c>{base}/mcp</c>.</summary>
    [ConfigurationKeyName(ServerUrlKey)]
    public string ServerUrl { get; set; } = DefaultServerUrl;

    /// <summary>Service key sent as <c>Authorization: Bearer …</c> (<c>MCP_API_KEY</c>, required).</summary>
    [ConfigurationKeyName(ApiKeyKey)]
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Upper bound for one whole read (with the handshake when it is the session's first; writes get <see cref="WriteCallTimeout"/>).
    /// A customer is waiting for the reply, so a hung server must turn into "try again later" quickly rather than after HttpClient's 100 s.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The MCP Calendar Server's documented budget for one whole tools/call, lease wait included (its
    /// <c>ToolDeadline.Limit</c>; see the README's "MCP tools" budget): by then it has answered made, refused, or
    /// "may or may not have been made" (<c>calendar_unavailable</c>).
    /// </summary>
    public static readonly TimeSpan McpServerToolBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Upper bound for one write call (book, reschedule, cancel). It must stay above <see cref="McpServerToolBudget"/>:
    /// a caller that gives up first leaves the server booking with nobody to hear the answer, and the customer told
    /// "failed" about an appointment that is then made. The margin covers the handshake and the network.
    /// </summary>
    public TimeSpan WriteCallTimeout { get; init; } = McpServerToolBudget + TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a write whose outcome the assistant did not learn (its own timeout, a transport error, an
    /// unreadable answer, or <c>calendar_unavailable</c>) is sent, with the same arguments and idempotency key, before
    /// the customer is told it could not be confirmed. A repeat never books or changes anything twice. With the
    /// defaults a customer waits at most 3 × 15 s for such an answer.
    /// </summary>
    public int WriteAttempts { get; init; } = 3;

    /// <summary>The Streamable HTTP endpoint: <c>{ServerUrl}/mcp</c> (a URL that already ends in /mcp is kept).</summary>
    public Uri McpEndpoint
    {
        get
        {
            var text = ServerUrl.Trim().TrimEnd('/');
            return new Uri(text.EndsWith("/mcp", StringComparison.OrdinalIgnoreCase) ? text : text + "/mcp");
        }
    }

    /// <summary>After binding: a blank MCP_SERVER_URL means the default.</summary>
    public void ApplyDefaults()
    {
        if (string.IsNullOrWhiteSpace(ServerUrl)) ServerUrl = DefaultServerUrl;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Problem() is { } problem) yield return new(problem);
    }

    /// <summary>The one-line problem with these settings, naming the variable, or null when they are usable.</summary>
    public string? Problem()
    {
        if (!Uri.TryCreate(ServerUrl.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return $"{ServerUrlKey} must be an absolute http(s) URL such as {DefaultServerUrl}, not '{ServerUrl}'.";
        if (string.IsNullOrWhiteSpace(ApiKey))
            return $"{ApiKeyKey} is not set: the booking assistant needs the MCP server's service key.";
        if (ServiceKeyRule.CharacterProblem(ApiKey) is { } keyProblem)
            return keyProblem;
        if (CallTimeout <= TimeSpan.Zero)
            return "The MCP call timeout must be positive.";
        if (WriteCallTimeout <= McpServerToolBudget)
            return $"The MCP write-call timeout ({WriteCallTimeout.TotalSeconds} s) must be above the MCP server's budget of {McpServerToolBudget.TotalSeconds} s, or a booking may be made after the customer was told it failed.";
        if (WriteAttempts < 1)
            return "The MCP write attempts must be at least 1.";
        return null;
    }
}

/// <summary>Start-up validation of <see cref="McpCalendarOptions"/>, generated from its own checks.</summary>
[OptionsValidator]
internal sealed partial class McpCalendarOptionsValidator : IValidateOptions<McpCalendarOptions>;
