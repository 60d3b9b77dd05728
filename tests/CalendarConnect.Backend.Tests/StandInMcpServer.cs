using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using CalendarConnect.Shared;
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
/// A small stand-in for the MCP Calendar Server with the HTTP endpoints the backend calls, checking the Bearer
/// service key and, like the real server, the customer id rule and the pairing of a key with its company:
/// POST /oauth/authorize, GET /customers/{id}/calendar-status, GET /customers/calendar-status?customer_id=…
/// (at most 100), GET /customers/calendar-status/changes?after=&amp;limit= (the feed of status changes, as the real
/// server keeps it: one entry per company with its latest status, a seq per change; its requests are recorded in
/// <see cref="FeedRequests"/>, apart, because the backend also polls it on a timer), DELETE /customers/{id}/calendar,
/// and POST|GET /customers/{id}/mcp-keys,
/// DELETE /customers/{id}/mcp-keys/{key_id}, POST /customers/{id}/account-attempt/accept (an attempt set with
/// <see cref="SetAccountAttempt"/>), and GET|PUT /customers/{id}/booking-settings (defaults until a PUT; a PUT
/// replaces the whole object; its only check is the one the backend cannot make: a calendar id starting with
/// "unreadable" gets the real server's per-field 400 shape).
/// The real MCP server (src/CalendarConnect.McpServer) is covered by its own tests and by the end-to-end tests;
/// this one lets these tests control the answers (statuses, failures) and see exactly what the backend sent.
/// </summary>
public sealed class StandInMcpServer : IAsyncDisposable
{
    public const string ApiKey = "test-mcp-key-0123456789";
    public const int MaxBatch = 100;
    public static readonly DateTimeOffset LinkExpiry = new(2031, 5, 17, 12, 30, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StandInStatus> _statuses = new();
    private readonly ConcurrentDictionary<string, StandInKey> _keys = new();
    private readonly ConcurrentDictionary<string, string> _bookingSettings = new();
    private readonly Lock _feedGate = new();
    private readonly Dictionary<string, (string Status, long Seq)> _feed = new(StringComparer.Ordinal);
    private long _feedSeq;

    private StandInMcpServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The requests to the feed of status changes (GET /customers/calendar-status/changes).</summary>
    public ConcurrentQueue<RecordedRequest> FeedRequests { get; } = new();

    /// <summary>Names the feed, as the real server's calendar_status_feed does; <see cref="ReplaceFeed"/> changes it.</summary>
    public string FeedId { get; private set; } = Guid.NewGuid().ToString("N");

    /// <summary>How many changes the feed has recorded (the newest seq).</summary>
    public long FeedSeq
    {
        get { lock (_feedGate) return _feedSeq; }
    }

    /// <summary>When set, a disconnection answers that Google did not confirm the revocation (retried in the background).</summary>
    public bool RevocationFails { get; set; }

    /// <summary>When set, every MCP endpoint answers this status code (e.g. 500).</summary>
    public int? FailWith { get; set; }

    /// <summary>Every api_key this stand-in issued (tests check none leaks where it should not).</summary>
    public IEnumerable<string> IssuedApiKeys => _keys.Values.Select(k => k.ApiKey);

    /// <summary>The company's status from now on; a change of status is recorded in the feed, as the real server's triggers do.</summary>
    public void SetStatus(string customerId, string status, string? calendarEmail = null, bool accountMismatch = false)
    {
        lock (_feedGate)
        {
            var before = StatusOf(customerId);
            _statuses[customerId] = new StandInStatus(status, calendarEmail, accountMismatch);
            if (before != status) _feed[customerId] = (status, ++_feedSeq);
        }
    }

    private readonly ConcurrentDictionary<string, (string AccountEmail, string ExpectedEmail, DateTimeOffset At)> _attempts = new();

    /// <summary>As if the company's person had consented with <paramref name="accountEmail"/> instead of the expected account.</summary>
    public void SetAccountAttempt(string customerId, string accountEmail, string expectedEmail, DateTimeOffset at) =>
        _attempts[customerId] = (accountEmail, expectedEmail, at);

    public bool HasAccountAttempt(string customerId) => _attempts.ContainsKey(customerId);

    /// <summary>As if the MCP server's database were replaced: a new feed id, seqs from 1, today's statuses in it.</summary>
    public void ReplaceFeed()
    {
        lock (_feedGate)
        {
            FeedId = Guid.NewGuid().ToString("N");
            _feed.Clear();
            _feedSeq = 0;
            foreach (var (id, status) in _statuses.Where(s => s.Value.Status != ConnectionStatus.NotConnected).OrderBy(s => s.Key, StringComparer.Ordinal))
                _feed[id] = (status.Status, ++_feedSeq);
        }
    }

    /// <summary>The settings JSON last saved for the company, or null.</summary>
    public string? BookingSettingsOf(string customerId) => _bookingSettings.GetValueOrDefault(customerId);

    public const string DefaultBookingSettings = """
        {"time_zone":null,"weekly_hours":{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],"fri":[["09:00","18:00"]],"sat":[],"sun":[]},"slot_minutes":60,"buffer_before_minutes":0,"buffer_after_minutes":0,"min_notice_minutes":60,"horizon_days":60,"calendar_ids":["primary"],"allow_off_grid_starts":false}
        """;

    public string StatusOf(string customerId) => _statuses.GetValueOrDefault(customerId)?.Status ?? ConnectionStatus.NotConnected;

    public string AuthorizationUrlFor(string customerId) =>
        new Uri(BaseAddress, $"fake-google/auth?client_id=demo&state={Uri.EscapeDataString(customerId)}-state").ToString();

    public string ShareableLinkFor(string customerId) =>
        new Uri(BaseAddress, $"connect/tok-{Uri.EscapeDataString(customerId)}").ToString();

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
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(), body);
            (context.Request.Path == "/customers/calendar-status/changes" ? self!.FeedRequests : self!.Requests).Enqueue(recorded);
            if (context.Request.Path.StartsWithSegments("/fake-google") || context.Request.Path.StartsWithSegments("/connect"))
            {
                await next(context);
                return;
            }
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
            if (!CustomerIdRule.IsValid(customerId)) return Results.BadRequest();
            return Results.Json(new Dictionary<string, object?>
            {
                ["customer_id"] = customerId,
                ["authorization_url"] = self!.AuthorizationUrlFor(customerId),
                ["state"] = customerId + "-state",
                ["expires_at"] = DateTimeOffset.UtcNow.AddMinutes(30).ToString("O"),
                ["shareable_link"] = self.ShareableLinkFor(customerId),
                ["shareable_link_expires_at"] = LinkExpiry.ToString("O"),
            });
        });

        // Declared before /customers/{customerId}/…; the segment counts differ anyway.
        app.MapGet("/customers/calendar-status", (HttpContext context) =>
        {
            var ids = context.Request.Query["customer_id"].Select(v => v ?? "").ToList();
            if (ids.Count == 0 || ids.Count > MaxBatch || ids.Any(id => !CustomerIdRule.IsValid(id))) return Results.BadRequest();
            return Results.Json(ids.Select(self!.StatusJson).ToList());
        });

        app.MapGet("/customers/calendar-status/changes", (HttpContext context) =>
        {
            var after = context.Request.Query["after"].ToString();
            var limit = context.Request.Query["limit"].ToString();
            long afterSeq = 0;
            var take = 500;
            if (after.Length > 0 && (!after.All(char.IsAsciiDigit) || !long.TryParse(after, out afterSeq))) return Results.BadRequest();
            if (limit.Length > 0 && (!limit.All(char.IsAsciiDigit) || !int.TryParse(limit, out take) || take is < 1 or > 1000)) return Results.BadRequest();
            lock (self!._feedGate)
            {
                var rows = self._feed.Where(f => f.Value.Seq > afterSeq).OrderBy(f => f.Value.Seq).Take(take + 1).ToList();
                var changes = rows.Take(take).Select(f => new Dictionary<string, object?>
                {
                    ["customer_id"] = f.Key, ["status"] = f.Value.Status, ["seq"] = f.Value.Seq,
                }).ToList();
                return Results.Json(new Dictionary<string, object?>
                {
                    ["feed_id"] = self.FeedId,
                    ["changes"] = changes,
                    ["cursor"] = changes.Count > 0 ? rows[changes.Count - 1].Value.Seq : afterSeq,
                    ["has_more"] = rows.Count > take,
                    ["last_seq"] = self._feedSeq,
                });
            }
        });

        app.MapGet("/customers/{customerId}/calendar-status", (string customerId) =>
            CustomerIdRule.IsValid(customerId) ? Results.Json(self!.StatusJson(customerId)) : Results.BadRequest());

        app.MapDelete("/customers/{customerId}/calendar", (string customerId) =>
        {
            if (!CustomerIdRule.IsValid(customerId)) return Results.BadRequest();
            bool wasConnected;
            lock (self!._feedGate)
            {
                wasConnected = self._statuses.TryRemove(customerId, out var old) && old.Status != ConnectionStatus.NotConnected;
                if (wasConnected) self._feed[customerId] = (ConnectionStatus.NotConnected, ++self._feedSeq);
            }
            return Results.Json(new Dictionary<string, object?>
            {
                ["customer_id"] = customerId,
                ["status"] = ConnectionStatus.NotConnected,
                ["revoked_at_google"] = wasConnected && !self.RevocationFails,
                ["grant_may_still_be_active"] = wasConnected && self.RevocationFails,
                ["revocation_retrying"] = wasConnected && self.RevocationFails,
            });
        });

        app.MapPost("/customers/{customerId}/account-attempt/accept", (string customerId, HttpContext context) =>
        {
            if (!CustomerIdRule.IsValid(customerId)) return Results.BadRequest();
            using var json = JsonDocument.Parse((string)context.Items["body"]!);
            var account = json.RootElement.GetProperty("account_email").GetString()!;
            if (!self!._attempts.TryGetValue(customerId, out var attempt)
                || !string.Equals(attempt.AccountEmail, account, StringComparison.OrdinalIgnoreCase)
                || !self._attempts.TryRemove(new(customerId, attempt)))
                return Results.NotFound();
            return Results.Json(new Dictionary<string, object?> { ["customer_id"] = customerId, ["customer_email"] = attempt.AccountEmail });
        });

        app.MapPost("/customers/{customerId}/mcp-keys", (string customerId, HttpContext context) =>
        {
            if (!CustomerIdRule.IsValid(customerId)) return Results.BadRequest();
            using var json = JsonDocument.Parse((string)context.Items["body"]!);
            var label = json.RootElement.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
            if (label is { Length: > 100 }) return Results.BadRequest();
            var key = new StandInKey("mk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), customerId,
                "mcpk_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), label, DateTimeOffset.UtcNow);
            self!._keys[key.KeyId] = key;
            return Results.Json(new Dictionary<string, object?>
            {
                ["key_id"] = key.KeyId, ["customer_id"] = customerId, ["api_key"] = key.ApiKey, ["label"] = label,
                ["created_at"] = key.CreatedAt.ToString("O"),
            }, statusCode: 201);
        });

        app.MapGet("/customers/{customerId}/mcp-keys", (string customerId) =>
        {
            if (!CustomerIdRule.IsValid(customerId)) return Results.BadRequest();
            return Results.Json(self!._keys.Values.Where(k => k.CustomerId == customerId).OrderBy(k => k.CreatedAt)
                .Select(k => new Dictionary<string, object?>
                {
                    ["key_id"] = k.KeyId, ["label"] = k.Label, ["created_at"] = k.CreatedAt.ToString("O"),
                    ["last_used_at"] = null, ["revoked_at"] = k.RevokedAt?.ToString("O"),
                }).ToList());
        });

        app.MapDelete("/customers/{customerId}/mcp-keys/{keyId}", (string customerId, string keyId) =>
        {
            if (!CustomerIdRule.IsValid(customerId) || !McpKeyIdRule.IsValid(keyId)) return Results.BadRequest();
            // The pairing is checked: company B's URL cannot revoke company A's key. Revoking again is done, as the real server answers it.
            if (!self!._keys.TryGetValue(keyId, out var key) || key.CustomerId != customerId)
                return Results.NotFound();
            if (key.RevokedAt is null) self._keys[keyId] = key with { RevokedAt = DateTimeOffset.UtcNow };
            return Results.NoContent();
        });

        app.MapGet("/customers/{customerId}/booking-settings", (string customerId) =>
            CustomerIdRule.IsValid(customerId)
                ? Results.Content(self!._bookingSettings.GetValueOrDefault(customerId) ?? DefaultBookingSettings, "application/json")
                : Results.BadRequest());

        app.MapPut("/customers/{customerId}/booking-settings", (string customerId, HttpContext context) =>
        {
            if (!CustomerIdRule.IsValid(customerId)) return Results.BadRequest();
            using var json = JsonDocument.Parse((string)context.Items["body"]!);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return Results.Problem("The request body must be a JSON object.", statusCode: 400);
            if (json.RootElement.TryGetProperty("calendar_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
                && ids.EnumerateArray().FirstOrDefault(i => i.GetString()?.StartsWith("unreadable", StringComparison.Ordinal) == true) is { ValueKind: JsonValueKind.String } bad)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["calendar_ids"] = [$"The connected account cannot read calendar '{bad.GetString()}'."],
                }, detail: "The booking settings are not valid; see errors for each field.", title: "Invalid request");
            }
            // Whole-object replacement: the defaults, then every field given.
            var merged = System.Text.Json.Nodes.JsonNode.Parse(DefaultBookingSettings)!.AsObject();
            foreach (var property in json.RootElement.EnumerateObject())
                merged[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
            if (OutOfLimits(merged) is { Count: > 0 } outOfLimits)
                return Results.ValidationProblem(outOfLimits, detail: "The booking settings are not valid; see errors for each field.", title: "Invalid request");
            var saved = merged.ToJsonString();
            self!._bookingSettings[customerId] = saved;
            return Results.Content(saved, "application/json");
        });

        app.MapGet("/fake-google/auth", () => Results.Content(
            "<!doctype html><html lang=\"es\"><title>Google (simulado)</title><h1>Permitir acceso</h1></html>", "text/html"));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        self = new StandInMcpServer(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    /// <summary>The whole-minute and day fields outside the limits the real server holds them to (<see cref="BookingSettingsRules"/>), with the field's error.</summary>
    private static Dictionary<string, string[]> OutOfLimits(System.Text.Json.Nodes.JsonObject settings)
    {
        (string Field, int Min, int Max)[] limits =
        [
            (BookingSettingsRules.SlotMinutes, BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes),
            (BookingSettingsRules.BufferBeforeMinutes, 0, BookingSettingsRules.MaxBufferMinutes),
            (BookingSettingsRules.BufferAfterMinutes, 0, BookingSettingsRules.MaxBufferMinutes),
            (BookingSettingsRules.MinNoticeMinutes, 0, BookingSettingsRules.MaxMinNoticeMinutes),
            (BookingSettingsRules.HorizonDays, BookingSettingsRules.MinHorizonDays, BookingSettingsRules.MaxHorizonDays),
        ];
        return limits
            .Where(l => settings[l.Field] is not System.Text.Json.Nodes.JsonValue value || !value.TryGetValue(out int number) || number < l.Min || number > l.Max)
            .ToDictionary(l => l.Field, l => new[] { $"A whole number from {l.Min} to {l.Max}." });
    }

    private Dictionary<string, object?> StatusJson(string customerId)
    {
        var status = _statuses.GetValueOrDefault(customerId) ?? new StandInStatus(ConnectionStatus.NotConnected, null, false);
        return new Dictionary<string, object?>
        {
            ["customer_id"] = customerId,
            ["status"] = status.Status,
            ["calendar_connected"] = status.Status == ConnectionStatus.Connected,
            ["calendar_email"] = status.CalendarEmail,
            ["customer_email"] = null,
            ["account_mismatch"] = status.AccountMismatch,
            ["last_error"] = status.Status == ConnectionStatus.NeedsReauthorization ? "invalid_grant" : null,
            ["updated_at"] = status.Status == ConnectionStatus.NotConnected ? null : DateTimeOffset.UtcNow.ToString("O"),
            ["account_attempt"] = _attempts.TryGetValue(customerId, out var attempt)
                ? new Dictionary<string, object?>
                {
                    ["account_email"] = attempt.AccountEmail, ["expected_email"] = attempt.ExpectedEmail, ["attempted_at"] = attempt.At.ToString("O"),
                }
                : null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record StandInStatus(string Status, string? CalendarEmail, bool AccountMismatch);
    private sealed record StandInKey(string KeyId, string CustomerId, string ApiKey, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null);
}

public sealed record RecordedRequest(string Method, string PathAndQuery, string Authorization, string Body);
