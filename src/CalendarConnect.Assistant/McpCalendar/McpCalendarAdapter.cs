using System.Text.Json;
using System.Text.Json.Nodes;
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
/// The customer id is a transport header, so an MCP client is bound to one company: each
/// <see cref="ICalendarSession"/> owns one client, which does the MCP handshake on its first tool call and is
/// reused for the rest of the message. The TCP connections themselves are pooled by the shared <see cref="HttpClient"/>.
/// <para>A write (book, reschedule, cancel) whose outcome this side did not learn is sent again with the same arguments
/// (and idempotency key), up to <see cref="McpCalendarOptions.WriteAttempts"/> times, before it is reported as
/// <see cref="WriteUnconfirmedException"/>: the server makes each of them at most once, so asking again is how the
/// assistant finds out what happened instead of telling the customer a booking failed that was in fact made.</para>
/// </remarks>
public sealed class McpCalendarAdapter(
    IHttpClientFactory httpClientFactory,
    IOptions<McpCalendarOptions> options,
    ILoggerFactory loggerFactory,
    TimeProvider time) : ICalendarAdapter
{
    /// <summary>Name of the <see cref="IHttpClientFactory"/> client this adapter uses.</summary>
    public const string HttpClientName = "CalendarConnect.McpCalendar";

    /// <summary>How start times are sent: whole seconds and a full offset, the form the server's examples use.</summary>
    private static readonly OffsetDateTimePattern SendPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    /// <summary>A local moment without offset: the server reads it in the company's zone, right across a DST change.</summary>
    private static readonly LocalDateTimePattern LocalSendPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");

    private const string UnreachableMessage = "The calendar service is not reachable right now.";
    private const string MalformedMessage = "The calendar service gave an answer that could not be read.";
    private const string UnconfirmedMessage = "The calendar service did not confirm whether the change was made.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    // ISO 8601 with an offset, with or without seconds. A time without an offset is refused rather than read in
    // this machine's zone, which would silently shift every slot.
    private static readonly OffsetDateTimePattern[] OffsetDateTimePatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private readonly IHttpClientFactory httpClientFactory = httpClientFactory;
    private readonly McpCalendarOptions settings = options.Value;
    private readonly ILoggerFactory loggerFactory = loggerFactory;
    private readonly TimeProvider time = time;
    private readonly ILogger logger = loggerFactory.CreateLogger<McpCalendarAdapter>();

    public ICalendarSession OpenSession(string customerId)
    {
        return new Session(this, CustomerIds.Validate(customerId));
    }

    private sealed class Session(McpCalendarAdapter adapter, string customerId) : ICalendarSession
    {
        private static readonly IReadOnlyDictionary<string, object?> NoArguments = new Dictionary<string, object?>();

        private readonly McpCalendarOptions settings = adapter.settings;
        private readonly ILogger logger = adapter.logger;
        private HttpClientTransport? transport;
        private McpClient? client;
        private bool disposed;

        public string CustomerId => customerId;

        public async Task<CompanyTime> GetCurrentTimeAsync(CancellationToken cancellationToken = default)
        {
            var result = await CallToolAsync(ToolNames.GetCurrentTime, NoArguments, cancellationToken);
            return Read<CurrentTimeDto, CompanyTime>(result, ToolNames.GetCurrentTime, dto =>
            {
                var now = ParseOffsetDateTime(dto.Now, "now");
                var zone = (dto.TimeZone is { Length: > 0 } name ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) : null)
                           ?? DateTimeZone.ForOffset(now.Offset);
                var companyNow = now.ToInstant().InZone(zone);
                if (dto.Date is not null && ParseDate(dto.Date, "date") != companyNow.Date)
                    throw new JsonException($"Field 'date' ({dto.Date}) is not the date of 'now' ({dto.Now}) in {zone.Id}.");
                return new CompanyTime(companyNow);
            });
        }

        public async Task<DaySlots> GetAvailableSlotsAsync(LocalDate date, CancellationToken cancellationToken = default)
        {
            var dateIso = LocalDatePattern.Iso.Format(date);
            var result = await CallToolAsync(ToolNames.GetAvailableSlots, new Dictionary<string, object?> { [ToolArgumentNames.DateIso] = dateIso }, cancellationToken);
            return Read<AvailableSlotsDto, DaySlots>(result, ToolNames.GetAvailableSlots, dto =>
            {
                // A missing list is not "no free time": telling a customer the day is full would be a wrong answer.
                var slots = (dto.Slots ?? throw new JsonException("Field 'slots' is missing."))
                    .Select(ReadSlot)
                    .OrderBy(s => s.Start.ToInstant())
                    .ToList();
                if (dto.Date is not null && ParseDate(dto.Date, "date") != date)
                    throw new JsonException($"Asked for {dateIso}, the answer is for {dto.Date}.");
                return new DaySlots(date, dto.TimeZone ?? "", slots);
            });
        }

        public async Task<IReadOnlyList<FreeSlot>> FindNextAvailableSlotsAsync(LocalDateTime from, int count,
            Understanding.PartOfDay? partOfDay = null, CancellationToken cancellationToken = default)
        {
            var arguments = new Dictionary<string, object?>
            {
                [ToolArgumentNames.FromIso] = LocalSendPattern.Format(from),
                [ToolArgumentNames.Count] = Math.Clamp(count, 1, ToolArgumentNames.MaxCount),
            };
            if (partOfDay is { } period) arguments[ToolArgumentNames.PartOfDay] = Understanding.PartOfDayExtensions.Code(period);
            var result = await CallToolAsync(ToolNames.FindNextAvailableSlots, arguments, cancellationToken);
            return Read<NextSlotsDto, IReadOnlyList<FreeSlot>>(result, ToolNames.FindNextAvailableSlots, dto =>
                (dto.Slots ?? throw new JsonException("Field 'slots' is missing."))
                    .Select(ReadSlot)
                    .OrderBy(s => s.Start.ToInstant())
                    .ToList());
        }

        public async Task<BookedAppointment> BookAppointmentAsync(OffsetDateTime start, int? durationMinutes, string personName,
            string idempotencyKey, CancellationToken cancellationToken = default)
        {
            var arguments = new Dictionary<string, object?>
            {
                [ToolArgumentNames.StartIso] = SendPattern.Format(start),
                [ToolArgumentNames.CustomerName] = personName,
                [ToolArgumentNames.IdempotencyKey] = idempotencyKey,
            };
            if (durationMinutes is { } minutes) arguments[ToolArgumentNames.DurationMinutes] = minutes;
            return await WriteAsync(ToolNames.BookAppointment, arguments, result => Read<AppointmentDto, BookedAppointment>(result, ToolNames.BookAppointment, dto =>
            {
                if (string.IsNullOrWhiteSpace(dto.EventId)) throw new JsonException("Field 'event_id' is missing.");
                var booked = new BookedAppointment(dto.EventId, ParseOffsetDateTime(dto.Start, "start"), ParseOffsetDateTime(dto.End, "end"));
                if (booked.End.ToInstant() <= booked.Start.ToInstant()) throw new JsonException($"The appointment ends ({dto.End}) before it starts ({dto.Start}).");
                return booked;
            }), cancellationToken);
        }

        public async Task<BookedAppointment> RescheduleAppointmentAsync(string eventId, OffsetDateTime newStart,
            CancellationToken cancellationToken = default)
        {
            var arguments = new Dictionary<string, object?>
            {
                [ToolArgumentNames.EventId] = eventId,
                [ToolArgumentNames.NewStartIso] = SendPattern.Format(newStart),
            };
            // Moving to the time the appointment already has is answered as done: a repeat is safe.
            return await WriteAsync(ToolNames.RescheduleAppointment, arguments, result => Read<AppointmentDto, BookedAppointment>(result, ToolNames.RescheduleAppointment, dto =>
            {
                if (string.IsNullOrWhiteSpace(dto.EventId)) throw new JsonException("Field 'event_id' is missing.");
                var moved = new BookedAppointment(dto.EventId, ParseOffsetDateTime(dto.Start, "start"), ParseOffsetDateTime(dto.End, "end"));
                if (moved.End.ToInstant() <= moved.Start.ToInstant()) throw new JsonException($"The appointment ends ({dto.End}) before it starts ({dto.Start}).");
                return moved;
            }), cancellationToken);
        }

        public async Task CancelAppointmentAsync(string eventId, CancellationToken cancellationToken = default)
        {
            // Success carries nothing the assistant needs beyond "it worked"; failures arrive as exceptions. Cancelling
            // an appointment already cancelled is answered as done: a repeat is safe.
            await WriteAsync(ToolNames.CancelAppointment, new Dictionary<string, object?> { [ToolArgumentNames.EventId] = eventId }, _ => true, cancellationToken);
        }

        /// <summary>Listing is a protocol call, not a tool call: no customer needed, but the session's headers go with it anyway.</summary>
        public async Task<IReadOnlyList<McpClientTool>> ListToolsAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var limit = new CancellationTokenSource(settings.CallTimeout, adapter.time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            try
            {
                client ??= await ConnectAsync(timeout.Token);
                var tools = await client.ListToolsAsync(cancellationToken: timeout.Token);
                return [.. tools];
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (IsExpected(ex))
            {
                logger.LogWarning("Listing the MCP tools for customer {CustomerId} failed at {Endpoint}: {Error}", customerId, settings.McpEndpoint, Describe(ex));
                throw new McpServerUnavailableException(UnreachableMessage, ex);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Listing the MCP tools for customer {CustomerId} failed unexpectedly at {Endpoint}", customerId, settings.McpEndpoint);
                throw new McpServerUnavailableException(UnreachableMessage, ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (disposed) return;
            disposed = true;
            try
            {
                if (client is not null) await client.DisposeAsync();
                if (transport is not null) await transport.DisposeAsync();
            }
            catch (Exception ex)
            {
                // The answer is already computed; a failed goodbye to a stateless server must not turn it into an error.
                logger.LogDebug(ex, "Closing the MCP client for customer {CustomerId} failed", customerId);
            }
        }

        /// <summary>
        /// Sends a write until its outcome is known, at most <see cref="McpCalendarOptions.WriteAttempts"/> times with the
        /// same arguments, each within <see cref="McpCalendarOptions.WriteCallTimeout"/> (above the server's own budget,
        /// so the server normally answers first). Made, refused or not possible is returned or thrown as it is.
        /// </summary>
        /// <exception cref="WriteUnconfirmedException">No attempt told whether the write was made.</exception>
        private async Task<TResult> WriteAsync<TResult>(string tool, IReadOnlyDictionary<string, object?> arguments,
            Func<CallToolResult, TResult> read, CancellationToken cancellationToken)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return read(await CallToolAsync(tool, arguments, cancellationToken, settings.WriteCallTimeout));
                }
                catch (McpCalendarException ex) when (OutcomeUnknown(ex) && attempt < settings.WriteAttempts)
                {
                    logger.LogWarning("MCP tool {Tool} for customer {CustomerId}: outcome unknown after attempt {Attempt} of {Attempts}; asking again with the same arguments",
                        tool, customerId, attempt, settings.WriteAttempts);
                }
                catch (McpCalendarException ex) when (OutcomeUnknown(ex))
                {
                    logger.LogWarning("MCP tool {Tool} for customer {CustomerId}: outcome still unknown after {Attempts} attempts; the customer is told it could not be confirmed",
                        tool, customerId, settings.WriteAttempts);
                    throw new WriteUnconfirmedException(UnconfirmedMessage, ex);
                }
            }
        }

        /// <summary>
        /// Whether a failed write may have been made: nothing (readable) came back, or the server said it may or may not
        /// have been (<c>calendar_unavailable</c>: its deadline passed, Google did not confirm, it was too busy).
        /// Not connected, re-authorisation and refusals are certain: nothing was written.
        /// </summary>
        private static bool OutcomeUnknown(McpCalendarException ex) =>
            ex is McpServerUnavailableException or CalendarUnavailableException { Code: CalendarErrorCodes.CalendarUnavailable };

        private async Task<CallToolResult> CallToolAsync(string tool, IReadOnlyDictionary<string, object?> arguments,
            CancellationToken cancellationToken, TimeSpan? callTimeout = null)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var limit = new CancellationTokenSource(callTimeout ?? settings.CallTimeout, adapter.time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);

            CallToolResult result;
            try
            {
                client ??= await ConnectAsync(timeout.Token);
                result = await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is not McpCalendarException && IsExpected(ex))
            {
                // Unreachable host, 401/5xx, timeout, JSON-RPC error (e.g. an unknown tool): the customer gets
                // "try later", the operator gets the cause in one line (no stack trace: nothing in our code to fix).
                logger.LogWarning("MCP tool {Tool} for customer {CustomerId} failed at {Endpoint}: {Error}", tool, customerId, settings.McpEndpoint, Describe(ex));
                throw new McpServerUnavailableException(UnreachableMessage, ex);
            }
            catch (Exception ex) when (ex is not McpCalendarException)
            {
                logger.LogError(ex, "MCP tool {Tool} for customer {CustomerId} failed unexpectedly at {Endpoint}", tool, customerId, settings.McpEndpoint);
                throw new McpServerUnavailableException(UnreachableMessage, ex);
            }

            if (result.IsError == true)
            {
                var message = TextOf(result);
                var code = ErrorCodeOf(result);
                // Not connected / needs re-authorisation are states of the company, not faults of this system.
                var level = code is CalendarErrorCodes.NotConnected or CalendarErrorCodes.NeedsReauthorization ? LogLevel.Information : LogLevel.Warning;
                logger.Log(level, "MCP tool {Tool} for customer {CustomerId} reported {ErrorCode}: {Message}", tool, customerId, code, message);
                if (code is not null && CalendarErrorCodes.BookingRefusals.Contains(code))
                    throw new BookingRefusedException(message, code, AlternativesOf(result));
                throw new CalendarUnavailableException(message.Length > 0 ? message : "The calendar reported an error.", code);
            }

            return result;
        }

        private async Task<McpClient> ConnectAsync(CancellationToken cancellationToken)
        {
            var transportOptions = new HttpClientTransportOptions
            {
                Endpoint = settings.McpEndpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                Name = "CalendarConnect MCP Calendar",
                // Request/response tool calls only: no need for the server-push GET stream.
                EnableStandaloneGetStream = false,
                AdditionalHeaders = new Dictionary<string, string>
                {
                    ["Authorization"] = "Bearer " + settings.ApiKey,
                    [CustomerIdHeader.Name] = customerId,
                },
            };
            var httpClient = adapter.httpClientFactory.CreateClient(HttpClientName);
            var newTransport = new HttpClientTransport(transportOptions, httpClient, adapter.loggerFactory, ownsHttpClient: false);
            try
            {
                var clientOptions = new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = "CalendarConnect.Assistant", Version = "1.0" },
                    InitializationTimeout = settings.CallTimeout,
                };
                var newClient = await McpClient.CreateAsync(newTransport, clientOptions, adapter.loggerFactory, cancellationToken);
                // We call tools we know by name without listing them first; telling the client so keeps it from
                // warning on every call (our tools declare no Mcp-Param headers, so the definition needs only the name).
                newClient.AddKnownTools([
                    new Tool { Name = ToolNames.GetCurrentTime }, new Tool { Name = ToolNames.GetAvailableSlots },
                    new Tool { Name = ToolNames.BookAppointment }, new Tool { Name = ToolNames.CancelAppointment },
                    new Tool { Name = ToolNames.FindNextAvailableSlots }, new Tool { Name = ToolNames.RescheduleAppointment },
                ]);
                transport = newTransport;
                return newClient;
            }
            catch
            {
                await newTransport.DisposeAsync();
                throw;
            }
        }

        /// <summary>
        /// Turns a successful tool result into <typeparamref name="TResult"/>. Anything unreadable in it (not JSON,
        /// a missing field, a wrong type, an impossible date) is the server's fault, reported like an outage.
        /// </summary>
        private TResult Read<TDto, TResult>(CallToolResult result, string tool, Func<TDto, TResult> interpret)
        {
            try
            {
                TDto? dto = default;
                if (result.StructuredContent is { } structured)
                    dto = structured.Deserialize<TDto>(Json);
                else if (TextOf(result) is { Length: > 0 } text)
                    dto = JsonSerializer.Deserialize<TDto>(text, Json);
                return interpret(dto ?? throw new JsonException("The result has neither structuredContent nor JSON text."));
            }
            catch (Exception ex) when (ex is not McpCalendarException)
            {
                logger.LogWarning(ex, "MCP tool {Tool} for customer {CustomerId} returned a result that is not the expected JSON", tool, customerId);
                throw new McpServerUnavailableException(MalformedMessage, ex);
            }
        }
    }

    /// <summary>
    /// A failure of the MCP server or of the way to it, not of this code: no connection, an HTTP error status, no answer
    /// in time, or the server's JSON-RPC error. Logged as one line without a stack trace; anything else keeps it.
    /// </summary>
    private static bool IsExpected(Exception e) =>
        e is HttpRequestException or OperationCanceledException or TimeoutException or IOException or McpException;

    /// <summary>The failure as an operator reads it: its kind, and the HTTP status when there was one (never a message that might echo data).</summary>
    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        OperationCanceledException or TimeoutException => "no answer in time",
        McpProtocolException protocol => $"JSON-RPC error {(int)protocol.ErrorCode}",
        _ => e.GetType().Name,
    };

    private static string TextOf(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text).Where(t => !string.IsNullOrWhiteSpace(t))).Trim();

    private static string? ErrorCodeOf(CallToolResult result) =>
        result.Meta?[ToolResultMeta.ErrorCode] is JsonValue value && value.TryGetValue(out string? code) ? code : null;

    /// <summary>
    /// The alternatives in <c>_meta</c>. Unreadable entries are skipped: the refusal itself is certain, and offering
    /// fewer times is better than turning a clear "that time is taken" into "try again later".
    /// </summary>
    private static IReadOnlyList<OffsetDateTime> AlternativesOf(CallToolResult result)
    {
        if (result.Meta?[ToolResultMeta.Alternatives] is not JsonArray items) return [];
        var alternatives = new List<OffsetDateTime>();
        foreach (var item in items)
        {
            if (item is not JsonValue value || !value.TryGetValue(out string? text)) continue;
            foreach (var pattern in OffsetDateTimePatterns)
            {
                if (pattern.Parse(text) is { Success: true } parsed)
                {
                    alternatives.Add(parsed.Value);
                    break;
                }
            }
        }
        return alternatives;
    }

    private static FreeSlot ReadSlot(SlotDto? slot)
    {
        if (slot is null) throw new JsonException("A slot is null.");
        var start = ParseOffsetDateTime(slot.Start, "slots.start");
        var end = ParseOffsetDateTime(slot.End, "slots.end");
        if (end.ToInstant() <= start.ToInstant()) throw new JsonException($"A slot ends ({slot.End}) before it starts ({slot.Start}).");
        return new FreeSlot(start, end);
    }

    private static OffsetDateTime ParseOffsetDateTime(string? text, string field)
    {
        if (text is not null)
        {
            foreach (var pattern in OffsetDateTimePatterns)
            {
                if (pattern.Parse(text) is { Success: true } parsed) return parsed.Value;
            }
        }
        throw new JsonException($"Field '{field}' is not an ISO 8601 date-time with offset: '{text}'.");
    }

    private static LocalDate ParseDate(string text, string field) =>
        LocalDatePattern.Iso.Parse(text) is { Success: true } parsed
            ? parsed.Value
            : throw new JsonException($"Field '{field}' is not an ISO date (yyyy-MM-dd): '{text}'.");

    private sealed record CurrentTimeDto(string? Now, string? Date, string? TimeZone);

    private sealed record AvailableSlotsDto(string? Date, string? TimeZone, IReadOnlyList<SlotDto?>? Slots);

    private sealed record SlotDto(string? Start, string? End);

    private sealed record NextSlotsDto(string? TimeZone, IReadOnlyList<SlotDto?>? Slots);

    private sealed record AppointmentDto(string? EventId, string? Start, string? End);
}
