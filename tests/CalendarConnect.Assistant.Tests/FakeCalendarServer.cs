using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
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
/// </summary>
public sealed class FakeCalendarServer : IAsyncDisposable
{
    /// <summary>A company whose calendar is not connected: every tool answers isError with <see cref="NotConnectedMessage"/>.</summary>
    public const string NotConnectedCustomer = "empresa-sin-calendario";

    public const string NotConnectedMessage =
        "El calendario de la empresa no está conectado. Pide al administrador que lo conecte.";

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
}

/// <summary>What the fake calendar answers, and every tool call it received.</summary>
public sealed class FakeCalendar
{
    public string Now { get; set; } = "2025-01-15T10:00:00-03:00";
    public string TimeZone { get; set; } = "America/Argentina/Buenos_Aires";
    public string Offset { get; set; } = "-03:00";

    /// <summary>Busy start hours per date; every other hour 09-17 on weekdays is free.</summary>
    public ConcurrentDictionary<string, int[]> BusyHours { get; } = new();

    /// <summary>When false, results carry only JSON text content (no structuredContent), like older servers.</summary>
    public bool UseStructuredContent { get; set; } = true;

    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    public IReadOnlyList<int> FreeHours(DateOnly date)
    {
        if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return [];
        var busy = BusyHours.TryGetValue(date.ToString("yyyy-MM-dd"), out var hours) ? hours : [];
        return Enumerable.Range(9, 9).Where(h => !busy.Contains(h)).ToList();
    }
}

public sealed record ReceivedCall(string Tool, string? CustomerId, string? Authorization, string? DateIso);

[McpServerToolType]
public sealed class FakeCalendarTools(FakeCalendar calendar, IHttpContextAccessor http)
{
    [McpServerTool(Name = "get_current_time"), Description("The company's current date and time.")]
    public CallToolResult GetCurrentTime()
    {
        var customer = Record("get_current_time", null);
        if (customer == FakeCalendarServer.NotConnectedCustomer) return NotConnected();
        return Result(new { now = calendar.Now, date = calendar.Now[..10], time_zone = calendar.TimeZone });
    }

    [McpServerTool(Name = "get_available_slots"), Description("Free slots of one day.")]
    public CallToolResult GetAvailableSlots([Description("yyyy-MM-dd")] string date_iso)
    {
        var customer = Record("get_available_slots", date_iso);
        if (customer == FakeCalendarServer.NotConnectedCustomer) return NotConnected();
        if (!DateOnly.TryParseExact(date_iso, "yyyy-MM-dd", out var date))
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "date_iso must be yyyy-MM-dd." }] };
        var slots = calendar.FreeHours(date).Select(h => new
        {
            start = $"{date_iso}T{h:00}:00:00{calendar.Offset}",
            end = $"{date_iso}T{h + 1:00}:00:00{calendar.Offset}",
        });
        return Result(new { date = date_iso, time_zone = calendar.TimeZone, slots });
    }

    private string? Record(string tool, string? dateIso)
    {
        var request = http.HttpContext?.Request;
        var customer = request?.Headers["X-Customer-Id"].ToString();
        calendar.Calls.Enqueue(new ReceivedCall(tool, customer, request?.Headers.Authorization.ToString(), dateIso));
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

    private static CallToolResult NotConnected() =>
        new() { IsError = true, Content = [new TextContentBlock { Text = FakeCalendarServer.NotConnectedMessage }] };
}
