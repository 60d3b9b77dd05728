using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Backend.CustomerCalendars;

namespace CalendarConnect.Backend.McpServer;

/// <summary>Typed client for the MCP Calendar Server's HTTP endpoints (service key as Bearer).</summary>
public sealed class McpServerClient(HttpClient http, ILogger<McpServerClient> logger)
{
    /// <summary>The MCP server answers at most this many customers per batch status call.</summary>
    public const int StatusBatchSize = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private static readonly HashSet<string> KnownStatuses =
        [ConnectionStatus.NotConnected, ConnectionStatus.Connected, ConnectionStatus.NeedsReauthorization];

    public async Task<AuthorizationStart> StartAuthorizationAsync(string customerId, string customerEmail,
        CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<AuthorizationStart>(HttpMethod.Post, "oauth/authorize",
            JsonContent.Create(new { customer_id = customerId, customer_email = customerEmail }), cancellationToken);
        if (answer is null || answer.CustomerId != customerId)
            throw new McpServerException("POST /oauth/authorize answered for another customer or without a body.");
        // The URLs end up in window.open and in messages to companies: only http(s) is acceptable.
        if (!IsHttpUrl(answer.AuthorizationUrl))
            throw new McpServerException("POST /oauth/authorize answered an authorization_url that is not an http(s) URL.");
        if (!IsHttpUrl(answer.ShareableLink))
            throw new McpServerException("POST /oauth/authorize answered without a shareable_link, or one that is not an http(s) URL.");
        return answer;
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    /// <summary>The live connection status. A customer the MCP server never saw (404) is simply not connected.</summary>
    public async Task<CalendarStatus> GetCalendarStatusAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<CalendarStatus>(HttpMethod.Get,
            $"customers/{Uri.EscapeDataString(customerId)}/calendar-status", null, cancellationToken, notFoundIsNull: true);
        return answer is null ? CalendarStatus.NotConnectedFor(customerId) : Normalize(answer, customerId);
    }

    /// <summary>
    /// The live status of up to <see cref="StatusBatchSize"/> customers in one call to
    /// GET /customers/calendar-status?customer_id=a&amp;customer_id=b…; a customer missing from the answer is unknown.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CalendarStatus>> GetCalendarStatusBatchAsync(IReadOnlyCollection<string> customerIds,
        CancellationToken cancellationToken = default)
    {
        if (customerIds.Count > StatusBatchSize)
            throw new ArgumentOutOfRangeException(nameof(customerIds), $"At most {StatusBatchSize} customers per call.");
        var result = new Dictionary<string, CalendarStatus>(StringComparer.Ordinal);
        if (customerIds.Count == 0) return result;
        var query = string.Join("&", customerIds.Select(id => "customer_id=" + Uri.EscapeDataString(id)));
        var answer = await SendAsync<CalendarStatus[]>(HttpMethod.Get, "customers/calendar-status?" + query, null, cancellationToken) ?? [];
        var asked = customerIds.ToHashSet(StringComparer.Ordinal);
        foreach (var item in answer)
            if (item?.CustomerId is { } id && asked.Contains(id)) result[id] = Normalize(item, id);
        foreach (var id in asked) result.TryAdd(id, CalendarStatus.UnknownFor(id));
        return result;
    }

    /// <summary>
    /// The status changes after <paramref name="after"/> (GET /customers/calendar-status/changes), at most
    /// <paramref name="limit"/>. A status this backend does not know is passed on as unknown.
    /// </summary>
    public async Task<CalendarStatusChanges> GetCalendarStatusChangesAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"customers/calendar-status/changes?after={after}&limit={limit}");
        var answer = await SendAsync<CalendarStatusChanges>(HttpMethod.Get, path, null, cancellationToken);
        // The answer decides what the admin's filter shows: anything but a well-formed page is refused whole.
        // (A cursor beyond last_seq without changes is no error: it says the feed went back, and the caller starts again.)
        if (answer is null || string.IsNullOrEmpty(answer.FeedId) || answer.Changes is null || answer.Cursor < after
            || answer.Changes.Length > limit || answer.Changes.Length > 0 && answer.LastSeq < answer.Cursor)
            throw new McpServerException("GET /customers/calendar-status/changes answered something that is not a page of the feed.");
        var previous = after;
        foreach (var change in answer.Changes)
        {
            if (change is null || ConnectRequest.CustomerIdError(change.CustomerId ?? "") is not null || change.Seq <= previous)
                throw new McpServerException("GET /customers/calendar-status/changes answered a change without a valid customer_id or out of order.");
            previous = change.Seq;
        }
        if (answer.Changes.Length > 0 && answer.Cursor != previous)
            throw new McpServerException("GET /customers/calendar-status/changes answered a cursor that is not its last change.");
        return answer with
        {
            Changes = answer.Changes
                .Select(c => c with { Status = KnownStatuses.Contains(c.Status ?? "") ? c.Status! : CalendarStatus.Unknown })
                .ToArray(),
        };
    }

    private static CalendarStatus Normalize(CalendarStatus answer, string customerId)
    {
        var status = KnownStatuses.Contains(answer.Status ?? "") ? answer.Status! : CalendarStatus.Unknown;
        return answer with { CustomerId = customerId, Status = status, CalendarConnected = status == ConnectionStatus.Connected && answer.CalendarConnected };
    }

    /// <summary>
    /// POST /customers/{id}/account-attempt/accept: the company expects the Google account of its latest attempt from now
    /// on. The account as Google spells it, or null when the company has no attempt with that account (404).
    /// </summary>
    public async Task<string?> AcceptAccountAttemptAsync(string customerId, string accountEmail, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<AcceptedAccount>(HttpMethod.Post, $"customers/{Uri.EscapeDataString(customerId)}/account-attempt/accept",
            JsonContent.Create(new { account_email = accountEmail }), cancellationToken, notFoundIsNull: true);
        if (answer is null) return null;
        if (answer.CustomerId != customerId || ConnectRequest.CustomerEmailError(answer.CustomerEmail ?? "") is not null)
            throw new McpServerException("POST /customers/{id}/account-attempt/accept answered for another customer or without a valid email.");
        return answer.CustomerEmail;
    }

    private sealed record AcceptedAccount(string CustomerId, string CustomerEmail);

    /// <summary>DELETE /customers/{id}/calendar: revoke at Google, delete the tokens, kill the links.</summary>
    public async Task<Disconnection> DisconnectAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<Disconnection>(HttpMethod.Delete,
            $"customers/{Uri.EscapeDataString(customerId)}/calendar", null, cancellationToken, notFoundIsNull: true);
        if (answer is null) return new Disconnection(customerId, ConnectionStatus.NotConnected, false); // never connected
        if (answer.CustomerId != customerId)
            throw new McpServerException("DELETE /customers/{id}/calendar answered for another customer.");
        return answer;
    }

    public async Task<IssuedMcpKey> CreateMcpKeyAsync(string customerId, string? label, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<IssuedMcpKey>(HttpMethod.Post, $"customers/{Uri.EscapeDataString(customerId)}/mcp-keys",
            JsonContent.Create(new { label }), cancellationToken);
        if (answer is null || answer.CustomerId != customerId || string.IsNullOrEmpty(answer.ApiKey)
            || McpKeyIds.Error(answer.KeyId ?? "") is not null)
            throw new McpServerException("POST /customers/{id}/mcp-keys answered for another customer or without a usable key.");
        return answer;
    }

    /// <summary>Null when the MCP server does not know the customer (404).</summary>
    public async Task<McpKeySummary[]?> ListMcpKeysAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<McpKeySummary[]>(HttpMethod.Get, $"customers/{Uri.EscapeDataString(customerId)}/mcp-keys",
            null, cancellationToken, notFoundIsNull: true);
        if (answer is not null && answer.Any(k => k is null || McpKeyIds.Error(k.KeyId ?? "") is not null))
            throw new McpServerException("GET /customers/{id}/mcp-keys answered an item without a valid key_id.");
        return answer;
    }

    /// <summary>False when the MCP server knows no such key for this customer (404).</summary>
    public async Task<bool> RevokeMcpKeyAsync(string customerId, string keyId, CancellationToken cancellationToken = default)
    {
        var path = $"customers/{Uri.EscapeDataString(customerId)}/mcp-keys/{Uri.EscapeDataString(keyId)}";
        var status = await SendWithoutBodyAsync(HttpMethod.Delete, path, cancellationToken, notFoundIsFalse: true);
        return status;
    }

    /// <summary>GET /customers/{id}/booking-settings: the company's settings, or the defaults if it never saved any.</summary>
    public async Task<BookingSettingsDocument> GetBookingSettingsAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<BookingSettingsDocument>(HttpMethod.Get, BookingSettingsPath(customerId), null, cancellationToken);
        return answer is not null && answer.IsWellFormed()
            ? answer
            : throw new McpServerException("GET /customers/{id}/booking-settings answered settings without every field.");
    }

    /// <summary>
    /// PUT /customers/{id}/booking-settings with <paramref name="json"/> (one JSON object, sent as is). A 400 answer is
    /// the MCP server's validation: its per-field errors come back unchanged (at most <see cref="MaxPassedErrors"/>).
    /// </summary>
    public async Task<BookingSettingsSaveResult> PutBookingSettingsAsync(string customerId, string json, CancellationToken cancellationToken = default)
    {
        var path = BookingSettingsPath(customerId);
        using var request = new HttpRequestMessage(HttpMethod.Put, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var errors = await ReadValidationErrorsAsync(response, cancellationToken);
                logger.LogInformation("MCP server refused booking settings for {CustomerId}: {Fields}", customerId, string.Join(", ", errors.Keys));
                return new BookingSettingsSaveResult(null, errors);
            }
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("MCP server answered {Status} to PUT {Path}", (int)response.StatusCode, path);
                throw new McpServerException($"The MCP server answered {(int)response.StatusCode} to PUT /{path}.");
            }
            var saved = await response.Content.ReadFromJsonAsync<BookingSettingsDocument>(Json, cancellationToken);
            return saved is not null && saved.IsWellFormed()
                ? new BookingSettingsSaveResult(saved, null)
                : throw new McpServerException("PUT /customers/{id}/booking-settings answered settings without every field.");
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("MCP server unreachable for PUT {Path}: {Message}", path, ex.Message);
            throw new McpServerException($"The MCP server is unreachable ({ex.Message}).", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("MCP server timed out for PUT {Path}", path);
            throw new McpServerException("The MCP server did not answer in time.", ex);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            logger.LogWarning("MCP server answered unreadable JSON for PUT {Path} ({Error})", path, ex.GetType().Name);
            throw new McpServerException("The MCP server answered something that is not the expected JSON.", ex);
        }
    }

    /// <summary>
    /// GET /system-status: the admin's status view (companies needing re-authorization, Google failures of the last hour,
    /// the mirror's last syncs), refused whole unless well formed.
    /// </summary>
    public async Task<SystemStatus.SystemStatusView> GetSystemStatusAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync<SystemStatus.SystemStatusView>(HttpMethod.Get, "system-status", null, cancellationToken);
        return answer is not null && answer.IsWellFormed()
            ? answer
            : throw new McpServerException("GET /system-status answered something that is not a status report.");
    }

    /// <summary>How many field errors of a 400 are passed on, and how long each message may be.</summary>
    public const int MaxPassedErrors = 50;
    private const int MaxPassedMessageLength = 500;

    private static async Task<Dictionary<string, string[]>> ReadValidationErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), default, cancellationToken);
        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject().Take(MaxPassedErrors))
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => Clip(m.GetString()!)).Take(10).ToArray()
                    : [];
                if (messages.Length > 0) errors[Clip(field.Name)] = messages;
            }
        }
        if (errors.Count == 0)
        {
            // A 400 without field errors: its detail is the reason, about the body as a whole.
            var detail = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()! : "The MCP server refused the booking settings.";
            errors["body"] = [Clip(detail)];
        }
        return errors;

        static string Clip(string text) => text.Length <= MaxPassedMessageLength ? text : text[..MaxPassedMessageLength] + "…";
    }

    private static string BookingSettingsPath(string customerId) => $"customers/{Uri.EscapeDataString(customerId)}/booking-settings";

    private async Task<bool> SendWithoutBodyAsync(HttpMethod method, string path, CancellationToken cancellationToken, bool notFoundIsFalse)
    {
        using var request = new HttpRequestMessage(method, path);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (notFoundIsFalse && response.StatusCode == HttpStatusCode.NotFound) return false;
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("MCP server answered {Status} to {Method} {Path}", (int)response.StatusCode, method, path);
                throw new McpServerException($"The MCP server answered {(int)response.StatusCode} to {method} /{path}.");
            }
            return true;
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
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, HttpContent? content,
        CancellationToken cancellationToken, bool notFoundIsNull = false) where T : class
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // The log names the path without its query (a batch of ids is long and says nothing).
        var shown = path.Split('?', 2)[0];
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("MCP server answered {Status} to {Method} {Path}", (int)response.StatusCode, method, shown);
                throw new McpServerException($"The MCP server answered {(int)response.StatusCode} to {method} /{shown}.");
            }
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw new McpServerException($"The MCP server answered an empty body to {method} /{shown}.");
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("MCP server unreachable for {Method} {Path}: {Message}", method, shown, ex.Message);
            throw new McpServerException($"The MCP server is unreachable ({ex.Message}).", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("MCP server timed out for {Method} {Path}", method, shown);
            throw new McpServerException("The MCP server did not answer in time.", ex);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Only the exception's type: a JSON error message can quote part of the body (an api_key).
            logger.LogWarning("MCP server answered unreadable JSON for {Method} {Path} ({Error})", method, shown, ex.GetType().Name);
            throw new McpServerException("The MCP server answered something that is not the expected JSON.", ex);
        }
    }
}
