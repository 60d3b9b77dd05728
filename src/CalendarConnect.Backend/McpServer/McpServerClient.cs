using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.McpServer;

public sealed class McpServerOptions
{
    public const string UrlVariable = "MCP_SERVER_URL";
    public const string ApiKeyVariable = "MCP_API_KEY";

    public string Url { get; set; } = "http://localhost:60000";
    public string ApiKey { get; set; } = "";
}

public sealed class McpServerOptionsValidator : IValidateOptions<McpServerOptions>
{
    public ValidateOptionsResult Validate(string? name, McpServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiKey))
            return ValidateOptionsResult.Fail($"{McpServerOptions.ApiKeyVariable} is not set: it is the service key the backend sends to the MCP server as 'Authorization: Bearer …' (the AppHost generates one).");
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return ValidateOptionsResult.Fail($"{McpServerOptions.UrlVariable} must be an absolute http(s) URL such as http://localhost:60000.");
        return ValidateOptionsResult.Success;
    }
}

/// <summary>The MCP server did not answer, answered an error, or answered something unusable.</summary>
public sealed class McpServerException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>POST /oauth/authorize answer.</summary>
public sealed record AuthorizationStart(string CustomerId, string AuthorizationUrl, string? State, DateTimeOffset? ExpiresAt);

/// <summary>GET /customers/{id}/calendar-status answer.</summary>
public sealed record CalendarStatus(string CustomerId, string Status, bool CalendarConnected, string? CalendarEmail, string? LastError)
{
    public const string NotConnected = "not_connected";
    public const string Connected = "connected";
    public const string NeedsReauthorization = "needs_reauthorization";
    /// <summary>Only ours: the MCP server could not be asked.</summary>
    public const string Unknown = "unknown";

    public static CalendarStatus UnknownFor(string customerId) => new(customerId, Unknown, false, null, null);
}

/// <summary>Typed client for the MCP Calendar Server's HTTP endpoints (service key as Bearer).</summary>
public sealed class McpServerClient(HttpClient http, ILogger<McpServerClient> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private static readonly HashSet<string> KnownStatuses =
        [CalendarStatus.NotConnected, CalendarStatus.Connected, CalendarStatus.NeedsReauthorization];

    public async Task<AuthorizationStart> StartAuthorizationAsync(string customerId, string customerEmail,
        CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<AuthorizationStart>(HttpMethod.Post, "oauth/authorize",
            JsonContent.Create(new { customer_id = customerId, customer_email = customerEmail }), cancellationToken);
        if (answer is null || answer.CustomerId != customerId)
            throw new McpServerException("POST /oauth/authorize answered for another customer or without a body.");
        // The URL ends up in window.open and in messages to companies: only http(s) is acceptable.
        if (!Uri.TryCreate(answer.AuthorizationUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new McpServerException("POST /oauth/authorize answered an authorization_url that is not an http(s) URL.");
        return answer;
    }

    /// <summary>The live connection status. A customer the MCP server never saw (404) is simply not connected.</summary>
    public async Task<CalendarStatus> GetCalendarStatusAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<CalendarStatus>(HttpMethod.Get,
            $"customers/{Uri.EscapeDataString(customerId)}/calendar-status", null, cancellationToken, notFoundIsNull: true);
        if (answer is null) return new CalendarStatus(customerId, CalendarStatus.NotConnected, false, null, null);
        var status = KnownStatuses.Contains(answer.Status) ? answer.Status : CalendarStatus.Unknown;
        return answer with { CustomerId = customerId, Status = status, CalendarConnected = status == CalendarStatus.Connected && answer.CalendarConnected };
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, HttpContent? content,
        CancellationToken cancellationToken, bool notFoundIsNull = false) where T : class
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("MCP server answered {Status} to {Method} {Path}", (int)response.StatusCode, method, path);
                throw new McpServerException($"The MCP server answered {(int)response.StatusCode} to {method} /{path}.");
            }
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw new McpServerException($"The MCP server answered an empty body to {method} /{path}.");
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("MCP server unreachable for {Method} {Path}: {Message}", method, path, ex.Message);
            throw new McpServerException($"The MCP server is unreachable ({ex.Message}).", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("MCP server timed out for {Method} {Path}", method, path);
            throw new McpServerException("The MCP server did not answer in time.", ex);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            logger.LogWarning("MCP server answered unreadable JSON for {Method} {Path}: {Message}", method, path, ex.Message);
            throw new McpServerException("The MCP server answered something that is not the expected JSON.", ex);
        }
    }
}

public static class McpServerServiceCollectionExtensions
{
    public static IServiceCollection AddMcpServerClient(this IServiceCollection services)
    {
        services.AddOptions<McpServerOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                if (config[McpServerOptions.UrlVariable] is { Length: > 0 } url) o.Url = url.Trim();
                o.ApiKey = config[McpServerOptions.ApiKeyVariable]?.Trim() ?? "";
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpServerOptions>, McpServerOptionsValidator>();
        services.AddHttpClient<McpServerClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<McpServerOptions>>().Value;
            http.BaseAddress = new Uri(options.Url.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        return services;
    }
}
