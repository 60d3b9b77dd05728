using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// A tiny stand-in for the MCP Calendar Server with only the two HTTP endpoints the backend calls
/// (POST /oauth/authorize, GET /customers/{id}/calendar-status), checking the Bearer service key.
/// The real MCP server (src/CalendarConnect.McpServer) is covered by its own tests and by the end-to-end tests;
/// this one lets these tests control the answers (statuses, failures) and see exactly what the backend sent.
/// </summary>
public sealed class StandInMcpServer : IAsyncDisposable
{
    public const string ApiKey = "test-mcp-key-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StandInStatus> _statuses = new();

    private StandInMcpServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>When set, every MCP endpoint answers this status code (e.g. 500).</summary>
    public int? FailWith { get; set; }

    public void SetStatus(string customerId, string status, string? calendarEmail = null) =>
        _statuses[customerId] = new StandInStatus(status, calendarEmail);

    public string AuthorizationUrlFor(string customerId) =>
        new Uri(BaseAddress, $"fake-google/auth?client_id=demo&state={Uri.EscapeDataString(customerId)}-state").ToString();

    public static async Task<StandInMcpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StandInMcpServer? self = null;

        app.Use(async (context, next) =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            self!.Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(), body));
            if (context.Request.Path.StartsWithSegments("/fake-google")) { await next(context); return; }
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            {
                context.Response.StatusCode = 401;
                return;
            }
            if (self.FailWith is { } status)
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsync("boom");
                return;
            }
            context.Items["body"] = body;
            await next(context);
        });

        app.MapPost("/oauth/authorize", (HttpContext context) =>
        {
            using var json = JsonDocument.Parse((string)context.Items["body"]!);
            var customerId = json.RootElement.GetProperty("customer_id").GetString()!;
            return Results.Json(new Dictionary<string, object?>
            {
                ["customer_id"] = customerId,
                ["authorization_url"] = self!.AuthorizationUrlFor(customerId),
                ["state"] = customerId + "-state",
                ["expires_at"] = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"),
            });
        });

        app.MapGet("/customers/{customerId}/calendar-status", (string customerId) =>
        {
            var status = self!._statuses.GetValueOrDefault(customerId) ?? new StandInStatus("not_connected", null);
            return Results.Json(new Dictionary<string, object?>
            {
                ["customer_id"] = customerId,
                ["status"] = status.Status,
                ["calendar_connected"] = status.Status == "connected",
                ["calendar_email"] = status.CalendarEmail,
                ["last_error"] = status.Status == "needs_reauthorization" ? "invalid_grant" : null,
            });
        });

        app.MapGet("/fake-google/auth", () => Results.Content(
            "<!doctype html><html lang=\"es\"><title>Google (simulado)</title><h1>Permitir acceso</h1></html>", "text/html"));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        self = new StandInMcpServer(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record StandInStatus(string Status, string? CalendarEmail);
}

public sealed record RecordedRequest(string Method, string PathAndQuery, string Authorization, string Body);
