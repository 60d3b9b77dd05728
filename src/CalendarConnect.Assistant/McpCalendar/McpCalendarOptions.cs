using CalendarConnect.Shared;

namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>Where and how the assistant reaches the MCP Calendar Server.</summary>
public sealed class McpCalendarOptions
{
    public const string ServerUrlKey = "MCP_SERVER_URL";
    public const string ApiKeyKey = "MCP_API_KEY";
    public const string DefaultServerUrl = "http://localhost:60000";

    /// <summary>Base URL of the MCP Calendar Server (<c>MCP_SERVER_URL</c>); the MCP endpoint is <c>{base}/mcp</c>.</summary>
    public string ServerUrl { get; set; } = DefaultServerUrl;

    /// <summary>Service key sent as <c>Authorization: Bearer …</c> (<c>MCP_API_KEY</c>, required).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Upper bound for one whole tool call (with the handshake when it is the session's first). A customer is waiting for the reply,
    /// so a hung server must turn into "try again later" quickly rather than after HttpClient's 100 s.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The Streamable HTTP endpoint: <c>{ServerUrl}/mcp</c> (a URL that already ends in /mcp is kept).</summary>
    public Uri McpEndpoint
    {
        get
        {
            var text = ServerUrl.Trim().TrimEnd('/');
            return new Uri(text.EndsWith("/mcp", StringComparison.OrdinalIgnoreCase) ? text : text + "/mcp");
        }
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
        return null;
    }
}
