using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>
/// The spec's "MCP Calendar Adapter": calls the MCP Calendar Server's tools with the official MCP client over
/// Streamable HTTP, sending <c>Authorization: Bearer {MCP_API_KEY}</c> and <c>X-Customer-Id</c> on every request.
/// </summary>
/// <remarks>
/// One short-lived MCP client per call: the customer id is a transport header, so a client is bound to one
/// company, and the server is stateless, so "initialize + tools/call" costs one extra local round trip and no
/// session state. The TCP connections themselves are pooled by the shared <see cref="HttpClient"/>.
/// </remarks>
public sealed class McpCalendarAdapter(
    IHttpClientFactory httpClientFactory,
    IOptions<McpCalendarOptions> options,
    ILoggerFactory loggerFactory) : ICalendarAdapter
{
    /// <summary>Name of the <see cref="IHttpClientFactory"/> client this adapter uses.</summary>
    public const string HttpClientName = "CalendarConnect.McpCalendar";

    public const string CustomerIdHeader = "X-Customer-Id";

    private const string UnreachableMessage = "The calendar service is not reachable right now.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly ILogger logger = loggerFactory.CreateLogger<McpCalendarAdapter>();

    public async Task<CompanyTime> GetCurrentTimeAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var dto = await CallToolAsync<CurrentTimeDto>(customerId, "get_current_time", new Dictionary<string, object?>(), cancellationToken);
        var now = ParseOffsetDateTime(dto.Now, "now");
        var zone = (dto.TimeZone is { Length: > 0 } name ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) : null)
                   ?? DateTimeZone.ForOffset(now.Offset);
        var date = dto.Date is { Length: > 0 } ? ParseDate(dto.Date, "date") : now.Date;
        return new CompanyTime(now, date, zone);
    }

    public async Task<DaySlots> GetAvailableSlotsAsync(string customerId, string dateIso, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dateIso);
        var dto = await CallToolAsync<AvailableSlotsDto>(customerId, "get_available_slots",
            new Dictionary<string, object?> { ["date_iso"] = dateIso }, cancellationToken);
        var slots = (dto.Slots ?? [])
            .Select(s => new FreeSlot(ParseOffsetDateTime(s.Start, "slots.start"), ParseOffsetDateTime(s.End, "slots.end")))
            .OrderBy(s => s.Start.ToInstant())
            .ToList();
        var date = dto.Date is { Length: > 0 } ? ParseDate(dto.Date, "date") : ParseDate(dateIso, "date_iso");
        return new DaySlots(date, dto.TimeZone ?? "", slots);
    }

    private async Task<T> CallToolAsync<T>(string customerId, string tool, IReadOnlyDictionary<string, object?> arguments,
        CancellationToken cancellationToken)
    {
        CustomerIds.Validate(customerId);
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CallTimeout);

        CallToolResult result;
        try
        {
            var transportOptions = new HttpClientTransportOptions
            {
                Endpoint = settings.McpEndpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                Name = "CalendarConnect MCP Calendar",
                // One request/response per tool call: no need for the server-push GET stream.
                EnableStandaloneGetStream = false,
                AdditionalHeaders = new Dictionary<string, string>
                {
                    ["Authorization"] = "Bearer " + settings.ApiKey,
                    [CustomerIdHeader] = customerId,
                },
            };
            var httpClient = httpClientFactory.CreateClient(HttpClientName);
            await using var transport = new HttpClientTransport(transportOptions, httpClient, loggerFactory, ownsHttpClient: false);
            var clientOptions = new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "CalendarConnect.Assistant", Version = "1.0" },
                InitializationTimeout = settings.CallTimeout,
            };
            await using var client = await McpClient.CreateAsync(transport, clientOptions, loggerFactory, timeout.Token);
            // We call tools we know by name without listing them first; telling the client so keeps it from
            // warning on every call (our tools declare no Mcp-Param headers, so the definition needs only the name).
            client.AddKnownTools([new Tool { Name = tool }]);
            result = await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not McpCalendarException)
        {
            // Unreachable host, 401/5xx, timeout, JSON-RPC error (e.g. an unknown tool): the customer gets
            // "try later", the operator gets the cause in the log.
            logger.LogWarning(ex, "MCP tool {Tool} for customer {CustomerId} failed at {Endpoint}", tool, customerId, settings.McpEndpoint);
            throw new McpServerUnavailableException(UnreachableMessage, ex);
        }

        if (result.IsError == true)
        {
            var message = TextOf(result);
            logger.LogInformation("MCP tool {Tool} for customer {CustomerId} reported: {Message}", tool, customerId, message);
            throw new CalendarUnavailableException(message.Length > 0 ? message : "The calendar reported an error.");
        }

        return Deserialize<T>(result, tool);
    }

    private T Deserialize<T>(CallToolResult result, string tool)
    {
        try
        {
            T? value = default;
            if (result.StructuredContent is { } structured)
                value = structured.Deserialize<T>(Json);
            else if (TextOf(result) is { Length: > 0 } text)
                value = JsonSerializer.Deserialize<T>(text, Json);
            if (value is not null) return value;
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "MCP tool {Tool} returned a result that is not the expected JSON", tool);
            throw new McpServerUnavailableException(UnreachableMessage, ex);
        }

        logger.LogWarning("MCP tool {Tool} returned neither structuredContent nor JSON text", tool);
        throw new McpServerUnavailableException(UnreachableMessage);
    }

    private static string TextOf(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text).Where(t => !string.IsNullOrWhiteSpace(t))).Trim();

    private static OffsetDateTime ParseOffsetDateTime(string? text, string field)
    {
        if (text is not null)
        {
            var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text);
            if (parsed.Success) return parsed.Value;
            // Tolerate other ISO 8601 spellings with an offset ("Z", no seconds): DateTimeOffset is lenient.
            if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var dto))
                return OffsetDateTime.FromDateTimeOffset(dto);
        }
        throw new JsonException($"Field '{field}' is not an ISO 8601 date-time with offset: '{text}'.");
    }

    private static LocalDate ParseDate(string text, string field)
    {
        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw new JsonException($"Field '{field}' is not an ISO date: '{text}'.");
    }

    private sealed record CurrentTimeDto(string? Now, string? Date, string? TimeZone);

    private sealed record AvailableSlotsDto(string? Date, string? TimeZone, IReadOnlyList<SlotDto>? Slots);

    private sealed record SlotDto(string? Start, string? End);
}
