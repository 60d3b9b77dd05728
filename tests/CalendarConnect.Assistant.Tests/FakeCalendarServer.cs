using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.Shared;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// A real MCP server (official SDK, Streamable HTTP, stateless, Kestrel on loopback) with canned calendar tools.
/// It stands in for the MCP Calendar Server so these tests exercise the real client, transport and headers;
/// the real MCP Calendar Server (Google tokens, slot computation) is exercised by the end-to-end tests.
/// <see cref="FakeCalendarServerContractTests"/> runs the calendar contract suite against it, as McpServer.Tests runs it
/// against the real server: where this fake answers otherwise, that suite fails.
/// </summary>
public sealed class FakeCalendarServer : IAsyncDisposable
{
    /// <summary>A company whose calendar is not connected: every tool answers isError with <see cref="NotConnectedMessage"/>.</summary>
    public const string NotConnectedCustomer = "empresa-sin-calendario";

    /// <summary>Like the real server's text: English, written for the company's administrator.</summary>
    public const string NotConnectedMessage =
        "The calendar for this customer is not connected. Ask the administrator to send the connection link.";

    private readonly LoopbackServer server;

    private FakeCalendarServer(LoopbackServer server, FakeCalendar calendar)
    {
        this.server = server;
        Calendar = calendar;
    }

    public FakeCalendar Calendar { get; }

    /// <summary>The value for MCP_SERVER_URL (the base, without /mcp).</summary>
    public string BaseUrl => server.BaseAddress.ToString().TrimEnd('/');

    public static async Task<FakeCalendarServer> StartAsync()
    {
        var calendar = new FakeCalendar();
        var server = await LoopbackServer.StartAsync((args, settings) =>
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddSingleton(calendar);
            builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<FakeCalendarTools>();
            var app = builder.Build();
            app.Use(async (context, next) =>
            {
                calendar.Requests.Enqueue(new ReceivedRequest(context.Request.Method, await JsonRpcMethodAsync(context.Request)));
                await next();
            });
            app.MapMcp("/mcp");
            return app;
        });
        return new FakeCalendarServer(server, calendar);
    }

    /// <summary>A loopback URL where nothing listens: the port was free a moment ago and is closed again.</summary>
    public static string UnreachableUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    /// <summary>The JSON-RPC method of a POST ("initialize", "tools/call", ...), leaving the body readable for the SDK.</summary>
    private static async Task<string?> JsonRpcMethodAsync(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method)) return null;
        request.EnableBuffering();
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("method", out var method)
                ? method.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}

/// <summary>What the fake calendar answers, and every tool call it received.</summary>
public sealed class FakeCalendar
{
    /// <summary>
    /// What <c>get_current_time</c> says: the only clock the assistant uses. Defaults to <see cref="AssistantHost.Wednesday"/>.
    /// </summary>
    public string Now { get; set; } = AssistantHost.Wednesday.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
    public string TimeZone { get; set; } = "America/Argentina/Buenos_Aires";
    public string Offset { get; set; } = "-03:00";

    /// <summary>Busy start hours per date; every other hour 09-17 on weekdays is free.</summary>
    public ConcurrentDictionary<string, int[]> BusyHours { get; } = new();

    /// <summary>When false, results carry only JSON text content (no structuredContent), like older servers.</summary>
    public bool UseStructuredContent { get; set; } = true;

    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    /// <summary>Every HTTP request to the server, with its JSON-RPC method: how many handshakes a message costs.</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Companies whose every tool call fails, with the code in <c>_meta</c> (null: no code) and the server's text.</summary>
    public ConcurrentDictionary<string, ToolFailure> FailingCustomers { get; } = new()
    {
        [FakeCalendarServer.NotConnectedCustomer] = new ToolFailure(CalendarErrorCodes.NotConnected, FakeCalendarServer.NotConnectedMessage),
    };

    /// <summary>Raw JSON a tool answers instead of its normal result, by tool name: for malformed answers.</summary>
    public ConcurrentDictionary<string, string> RawAnswers { get; } = new();

    /// <summary>
    /// How many times a client connected: <c>initialize</c> in the classic protocol, <c>server/discover</c> in the
    /// stateless one this SDK version negotiates.
    /// </summary>
    public int Handshakes => Requests.Count(r => r.JsonRpcMethod is "initialize" or "server/discover");

    /// <summary>Appointments booked through <c>book_appointment</c> and not cancelled, by event id.</summary>
    public ConcurrentDictionary<string, FakeAppointment> Appointments { get; } = new();

    /// <summary>
    /// Appointments cancelled through <c>cancel_appointment</c>, by event id: like the real server, cancelling one again is
    /// answered as done, <c>list_appointments</c> shows it cancelled, and its idempotency key books nothing new.
    /// </summary>
    public ConcurrentDictionary<string, FakeAppointment> Cancelled { get; } = new();

    /// <summary>Failures <c>book_appointment</c> answers, one per call, before it looks at the calendar.</summary>
    public ConcurrentQueue<ToolFailure> BookingFailures { get; } = new();

    /// <summary>
    /// Calls of <c>book_appointment</c> that book and then lose the answer (the client sees an HTTP failure), as when
    /// a connection drops after the server did its work.
    /// </summary>
    public int LoseNextBookingAnswers { get; set; }

    /// <summary>
    /// Calls of <c>book_appointment</c> that book and then hold their answer until the client gives up (its call
    /// timeout): the server finished the booking, the client never hears it.
    /// </summary>
    public int HoldNextBookingAnswers { get; set; }

    /// <summary>Failures <c>cancel_appointment</c> answers, one per call, before it looks at the calendar.</summary>
    public ConcurrentQueue<ToolFailure> CancelFailures { get; } = new();

    /// <summary>When set, <c>find_next_available_slots</c> fails with it (alternatives are then left out, the answer stands).</summary>
    public ToolFailure? FindNextFailure { get; set; }

    /// <summary>
    /// What <c>book_appointment</c> and <c>reschedule_appointment</c> put in <c>_meta</c> alternatives when they refuse a
    /// busy hour; when empty, the real server's: the <see cref="AlternativeCount"/> free hours nearest the one asked for,
    /// within <see cref="AlternativesDaysAround"/> days of it.
    /// </summary>
    public List<string> AlternativesOnRefusal { get; } = [];

    public const int AlternativeCount = 3, AlternativesDaysAround = 3;

    /// <summary>The alternatives to a refused <paramref name="requested"/> start (see <see cref="AlternativesOnRefusal"/>).</summary>
    public IReadOnlyList<string> AlternativesTo(DateTimeOffset requested)
    {
        if (AlternativesOnRefusal.Count > 0) return AlternativesOnRefusal;
        var now = DateTime.Parse(Now[..19], System.Globalization.CultureInfo.InvariantCulture);
        var day = DateOnly.FromDateTime(requested.DateTime);
        return Enumerable.Range(-AlternativesDaysAround, 2 * AlternativesDaysAround + 1)
            .Select(day.AddDays)
            .SelectMany(d => FreeHours(d).Select(h => d.ToDateTime(new TimeOnly(h, 0))))
            .Where(start => start > now)
            .OrderBy(start => Math.Abs((start - requested.DateTime).Ticks))
            .Take(AlternativeCount)
            .Select(start => $"{start:yyyy-MM-dd'T'HH':00:00'}{Offset}")
            .ToList();
    }

    /// <summary>Whether a start is before <see cref="Now"/>: the real server refuses it as an invalid argument.</summary>
    public bool IsPast(DateTimeOffset start) => start < DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The company's hours, as the real server's default booking settings have them: weekdays, slots starting 09:00 to 17:00.</summary>
    public const int OpeningHour = 9, ClosingHour = 18;

    /// <summary>What <c>list_appointments</c> says of an appointment (the real server's words).</summary>
    public const string ConfirmedStatus = "confirmed", CancelledStatus = "cancelled";

    public IReadOnlyList<int> FreeHours(DateOnly date)
    {
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return [];
        var busy = BusyHours.TryGetValue(date.ToString("yyyy-MM-dd"), out var hours) ? hours : [];
        var booked = Appointments.Values.Where(a => a.Start.StartsWith(date.ToString("yyyy-MM-dd"), StringComparison.Ordinal))
            .Select(a => int.Parse(a.Start[11..13], System.Globalization.CultureInfo.InvariantCulture));
        return Enumerable.Range(OpeningHour, ClosingHour - OpeningHour).Where(h => !busy.Contains(h) && !booked.Contains(h)).ToList();
    }

    public IEnumerable<ReceivedCall> CallsOf(string tool) => Calls.Where(c => c.Tool == tool);
}

/// <param name="Arguments">The tool's arguments as JSON text, for the booking tools.</param>
public sealed record ReceivedCall(string Tool, string? CustomerId, string? Authorization, string? DateIso,
    IReadOnlyDictionary<string, string?>? Arguments = null);

public sealed record FakeAppointment(string EventId, string Start, string End, string CustomerName, string? IdempotencyKey);

public sealed record ReceivedRequest(string HttpMethod, string? JsonRpcMethod);

public sealed record ToolFailure(string? Code, string Message);

[McpServerToolType]
public sealed class FakeCalendarTools(FakeCalendar calendar, IHttpContextAccessor http)
{
    [McpServerTool(Name = ToolNames.GetCurrentTime), Description("The company's current date and time.")]
    public CallToolResult GetCurrentTime()
    {
        var customer = Record(ToolNames.GetCurrentTime, null);
        if (FailureFor(customer) is { } failure) return failure;
        if (Raw(ToolNames.GetCurrentTime) is { } raw) return raw;
        return Result(new { now = calendar.Now, date = calendar.Now[..10], time_zone = calendar.TimeZone });
    }

    [McpServerTool(Name = ToolNames.GetAvailableSlots), Description("Free slots of one day.")]
    public CallToolResult GetAvailableSlots([Description("yyyy-MM-dd")] string date_iso, int? duration_minutes = null)
    {
        var customer = Record(ToolNames.GetAvailableSlots, date_iso);
        if (FailureFor(customer) is { } failure) return failure;
        if (Raw(ToolNames.GetAvailableSlots) is { } raw) return raw;
        if (!DateOnly.TryParseExact(date_iso, "yyyy-MM-dd", out var date))
            return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "date_iso must be yyyy-MM-dd."));
        var hours = SlotHours(duration_minutes);
        var free = calendar.FreeHours(date);
        var slots = free.Where(h => h + hours <= FakeCalendar.ClosingHour && Enumerable.Range(h, hours).All(free.Contains)).Select(h => new
        {
            start = $"{date_iso}T{h:00}:00:00{calendar.Offset}",
            end = $"{date_iso}T{h + hours:00}:00:00{calendar.Offset}",
        });
        return Result(new { date = date_iso, time_zone = calendar.TimeZone, slots });
    }

    /// <summary>
    /// Like the real tool: an existing booking with the same idempotency key is returned as it is; a busy or booked
    /// hour is refused with <c>slot_taken</c> and the alternatives in <c>_meta</c>.
    /// </summary>
    [McpServerTool(Name = ToolNames.BookAppointment), Description("Books an appointment.")]
    public async Task<CallToolResult> BookAppointment(string start_iso, string customer_name, CancellationToken cancellationToken,
        int? duration_minutes = null, string? customer_phone = null, string? customer_email = null, string? notes = null, string? idempotency_key = null)
    {
        var customer = Record(ToolNames.BookAppointment, null, new Dictionary<string, string?>
        {
            [ToolArgumentNames.StartIso] = start_iso, [ToolArgumentNames.CustomerName] = customer_name, [ToolArgumentNames.IdempotencyKey] = idempotency_key,
            [ToolArgumentNames.DurationMinutes] = duration_minutes?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        if (FailureFor(customer) is { } failure) return failure;
        if (calendar.BookingFailures.TryDequeue(out var queued)) return Failure(queued);
        if (string.IsNullOrWhiteSpace(customer_name) || customer_name.Any(char.IsControl) || BidiControls.ContainsAny(customer_name))
            return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "customer_name must be the person's name, on one line, without control characters."));
        if (!DateTimeOffset.TryParseExact(start_iso, "yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var start))
            return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "start_iso must be ISO 8601 with offset."));
        if (calendar.IsPast(start)) return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "start_iso is in the past."));
        if (idempotency_key is not null && calendar.Cancelled.Values.Any(a => a.IdempotencyKey == idempotency_key))
            return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "This idempotency_key belongs to a booking that was cancelled."));

        var existing = idempotency_key is null ? null : calendar.Appointments.Values.FirstOrDefault(a => a.IdempotencyKey == idempotency_key);
        if (existing is null)
        {
            if (!calendar.FreeHours(DateOnly.FromDateTime(start.DateTime)).Contains(start.Hour) || start.Minute != 0)
                return Refused(start);
            var end = start.AddMinutes(duration_minutes ?? 60);
            existing = new FakeAppointment("evt" + Guid.NewGuid().ToString("N")[..12], start_iso,
                end.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), customer_name, idempotency_key);
            calendar.Appointments[existing.EventId] = existing;
        }
        if (calendar.LoseNextBookingAnswers > 0)
        {
            calendar.LoseNextBookingAnswers--;
            http.HttpContext!.Abort();
        }
        if (calendar.HoldNextBookingAnswers > 0)
        {
            calendar.HoldNextBookingAnswers--;
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, http.HttpContext!.RequestAborted);
            try
            {
                // Bounded, so a client that never gives up fails its test instead of hanging it.
                await Task.Delay(TimeSpan.FromMinutes(1), gone.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up: nobody reads this answer.
            }
        }
        return Result(new
        {
            event_id = existing.EventId, start = existing.Start, end = existing.End,
            start_utc = DateTimeOffset.Parse(existing.Start, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            end_utc = DateTimeOffset.Parse(existing.End, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            time_zone = calendar.TimeZone,
        });
    }

    /// <summary>Like the real tool: free starts from a moment on, day by day (weekdays 09-17), optionally in a part of the day.</summary>
    [McpServerTool(Name = ToolNames.FindNextAvailableSlots), Description("Next free slots.")]
    public CallToolResult FindNextAvailableSlots(string? from_iso = null, int? count = null, int? duration_minutes = null, string? part_of_day = null)
    {
        var customer = Record(ToolNames.FindNextAvailableSlots, null, new Dictionary<string, string?>
        {
            [ToolArgumentNames.FromIso] = from_iso, [ToolArgumentNames.Count] = count?.ToString(System.Globalization.CultureInfo.InvariantCulture), [ToolArgumentNames.PartOfDay] = part_of_day,
        });
        if (FailureFor(customer) is { } failure) return failure;
        if (calendar.FindNextFailure is { } findFailure) return Failure(findFailure);
        var now = DateTime.Parse(calendar.Now[..19], System.Globalization.CultureInfo.InvariantCulture);
        var from = from_iso is null ? now
            : DateTime.TryParse(from_iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed) ? parsed : (DateTime?)null;
        if (from is null) return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "from_iso must be a date or an ISO 8601 date-time."));
        if (from < now) from = now;
        var slots = new List<object>();
        for (var day = DateOnly.FromDateTime(from.Value); slots.Count < (count ?? 5) && day <= DateOnly.FromDateTime(now).AddDays(60); day = day.AddDays(1))
        {
            foreach (var hour in calendar.FreeHours(day))
            {
                var start = day.ToDateTime(new TimeOnly(hour, 0));
                if (start < from) continue;
                if (part_of_day == ToolArgumentNames.Morning && hour >= 12 || part_of_day == ToolArgumentNames.Afternoon && hour is < 12 or >= 18 || part_of_day == ToolArgumentNames.Evening && hour < 18) continue;
                slots.Add(new { start = $"{day:yyyy-MM-dd}T{hour:00}:00:00{calendar.Offset}", end = $"{day:yyyy-MM-dd}T{hour + 1:00}:00:00{calendar.Offset}" });
                if (slots.Count == (count ?? 5)) break;
            }
        }
        return Result(new { time_zone = calendar.TimeZone, slots });
    }

    /// <summary>Like the real tool: moves a booked appointment; a busy hour is slot_taken with alternatives, an unknown id not_found.</summary>
    [McpServerTool(Name = ToolNames.RescheduleAppointment), Description("Moves an appointment.")]
    public CallToolResult RescheduleAppointment(string event_id, string new_start_iso)
    {
        var customer = Record(ToolNames.RescheduleAppointment, null, new Dictionary<string, string?> { [ToolArgumentNames.EventId] = event_id, [ToolArgumentNames.NewStartIso] = new_start_iso });
        if (FailureFor(customer) is { } failure) return failure;
        if (calendar.BookingFailures.TryDequeue(out var queued)) return Failure(queued);
        if (!calendar.Appointments.TryGetValue(event_id, out var existing))
            return Failure(new ToolFailure(CalendarErrorCodes.NotFound, "No appointment with that event_id."));
        if (!DateTimeOffset.TryParseExact(new_start_iso, "yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var start))
            return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "new_start_iso must be ISO 8601 with offset."));
        if (calendar.IsPast(start)) return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "new_start_iso is in the past."));
        if (existing.Start != new_start_iso && (!calendar.FreeHours(DateOnly.FromDateTime(start.DateTime)).Contains(start.Hour) || start.Minute != 0))
            return Refused(start);
        var length = DateTimeOffset.Parse(existing.End, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(existing.Start, System.Globalization.CultureInfo.InvariantCulture);
        var moved = existing with
        {
            Start = new_start_iso,
            End = start.Add(length).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        };
        calendar.Appointments[event_id] = moved;
        return Result(new { event_id, start = moved.Start, end = moved.End, time_zone = calendar.TimeZone });
    }

    [McpServerTool(Name = ToolNames.CancelAppointment), Description("Cancels an appointment.")]
    public CallToolResult CancelAppointment(string event_id)
    {
        var customer = Record(ToolNames.CancelAppointment, null, new Dictionary<string, string?> { [ToolArgumentNames.EventId] = event_id });
        if (FailureFor(customer) is { } failure) return failure;
        if (calendar.CancelFailures.TryDequeue(out var queued)) return Failure(queued);
        if (calendar.Appointments.TryRemove(event_id, out var cancelled)) calendar.Cancelled[event_id] = cancelled;
        // Cancelling again is answered as done, as the real tool answers it (a retry after a lost answer is safe).
        else if (!calendar.Cancelled.ContainsKey(event_id))
            return Failure(new ToolFailure(CalendarErrorCodes.NotFound, "No appointment with that event_id."));
        return Result(new { event_id, status = FakeCalendar.CancelledStatus });
    }

    /// <summary>Like the real tool: the stored status; not connected for a company whose every call fails not_connected.</summary>
    [McpServerTool(Name = ToolNames.GetCalendarStatus), Description("Calendar connection status.")]
    public CallToolResult GetCalendarStatus()
    {
        var customer = Record(ToolNames.GetCalendarStatus, null);
        var failing = customer is not null && calendar.FailingCustomers.TryGetValue(customer, out var failure) ? failure.Code : null;
        var status = failing is CalendarErrorCodes.NotConnected or CalendarErrorCodes.NeedsReauthorization ? failing : ConnectionStatus.Connected;
        return Result(new
        {
            status, calendar_connected = status == ConnectionStatus.Connected, calendar_email = (string?)null,
            time_zone = status == ConnectionStatus.Connected ? calendar.TimeZone : null,
        });
    }

    /// <summary>Like the real tool: the appointments booked here starting from <c>from_iso</c> through the day <c>to_iso</c>, cancelled ones too, oldest first.</summary>
    [McpServerTool(Name = ToolNames.ListAppointments), Description("Lists booked appointments.")]
    public CallToolResult ListAppointments(string from_iso, string to_iso)
    {
        var customer = Record(ToolNames.ListAppointments, null, new Dictionary<string, string?> { [ToolArgumentNames.FromIso] = from_iso, [ToolArgumentNames.ToIso] = to_iso });
        if (FailureFor(customer) is { } failure) return failure;
        if (!DateOnly.TryParseExact(from_iso[..Math.Min(10, from_iso.Length)], "yyyy-MM-dd", out var from)
            || !DateOnly.TryParseExact(to_iso[..Math.Min(10, to_iso.Length)], "yyyy-MM-dd", out var to) || to < from)
            return Failure(new ToolFailure(CalendarErrorCodes.InvalidArgument, "from_iso and to_iso must be dates (YYYY-MM-DD), to_iso not before from_iso."));
        var appointments = calendar.Appointments.Values.Select(a => (Appointment: a, Status: FakeCalendar.ConfirmedStatus))
            .Concat(calendar.Cancelled.Values.Select(a => (Appointment: a, Status: FakeCalendar.CancelledStatus)))
            .Where(a => DateOnly.ParseExact(a.Appointment.Start[..10], "yyyy-MM-dd") is var day && day >= from && day <= to)
            .OrderBy(a => a.Appointment.Start, StringComparer.Ordinal)
            .Select(a => new { event_id = a.Appointment.EventId, start = a.Appointment.Start, end = a.Appointment.End, status = a.Status, customer_name = a.Appointment.CustomerName });
        return Result(new { time_zone = calendar.TimeZone, appointments });
    }

    /// <summary>Hours a slot of <paramref name="durationMinutes"/> takes (the slot length, 60, when left out).</summary>
    private static int SlotHours(int? durationMinutes) => Math.Max(1, ((durationMinutes ?? 60) + 59) / 60);

    /// <summary>The real tools' refusal of a busy start: slot_taken, with the nearest free starts in <c>_meta</c>.</summary>
    private CallToolResult Refused(DateTimeOffset start)
    {
        var refused = Failure(new ToolFailure(CalendarErrorCodes.SlotTaken, "That time is already taken."));
        refused.Meta![ToolResultMeta.Alternatives] = new JsonArray(calendar.AlternativesTo(start).Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        return refused;
    }

    private string? Record(string tool, string? dateIso, IReadOnlyDictionary<string, string?>? arguments = null)
    {
        var request = http.HttpContext?.Request;
        var customer = request?.Headers[CustomerIdHeader.Name].ToString();
        calendar.Calls.Enqueue(new ReceivedCall(tool, customer, request?.Headers.Authorization.ToString(), dateIso, arguments));
        return customer;
    }

    private CallToolResult Result(object value)
    {
        var json = JsonSerializer.SerializeToElement(value);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json.GetRawText() }],
            StructuredContent = calendar.UseStructuredContent ? json : null,
        };
    }

    private CallToolResult? FailureFor(string? customer) =>
        customer is not null && calendar.FailingCustomers.TryGetValue(customer, out var failure) ? Failure(failure) : null;

    /// <summary>The real server's shape (ToolResults.Failure): the text for the operator, the code in <c>_meta</c>.</summary>
    private static CallToolResult Failure(ToolFailure failure) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = failure.Message }],
        Meta = failure.Code is null ? null : new JsonObject { [ToolResultMeta.ErrorCode] = failure.Code },
    };

    /// <summary>The raw answer as text, and as structured content too when it is a JSON object (as a server would send it).</summary>
    private CallToolResult? Raw(string tool)
    {
        if (!calendar.RawAnswers.TryGetValue(tool, out var raw)) return null;
        JsonElement? structured = null;
        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind == JsonValueKind.Object) structured = document.RootElement.Clone();
        }
        catch (JsonException)
        {
        }
        return new CallToolResult { Content = [new TextContentBlock { Text = raw }], StructuredContent = structured };
    }
}
