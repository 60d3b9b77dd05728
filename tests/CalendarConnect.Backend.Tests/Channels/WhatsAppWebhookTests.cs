using System.Net;
using System.Text;
using System.Text.Json;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// GET|POST /v1/whatsapp/webhook as Meta's WhatsApp Cloud API calls it: verification, signed notifications,
/// replies through a fake Graph API; forged, repeated, unknown, non-text and oversized messages.
/// </summary>
public class WhatsAppWebhookTests
{
    public const string VerifyToken = "verify-me-please";
    public const string AppSecret = "meta-app-secret-0123456789";
    public const string AccessToken = "EAAG-test-access-token-do-not-log";
    public const string PhoneNumberId = "106540352242922";
    public const string Person = "5491144440000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Dictionary<string, string?> WhatsAppSettings(FakeGraphApi graph) => new()
    {
        [WhatsAppOptions.VerifyTokenVariable] = VerifyToken,
        [WhatsAppOptions.AppSecretVariable] = AppSecret,
        [WhatsAppOptions.AccessTokenVariable] = AccessToken,
        [WhatsAppOptions.ApiBaseVariable] = graph.ApiBase,
    };

    private static void FastRetries(IServiceCollection services) =>
        services.Configure<WhatsAppOptions>(o =>
        {
            o.SendRetryDelays = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)];
            o.AnswerRetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)];
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        });

    /// <summary>A notification exactly as Meta sends it (one change with these messages).</summary>
    public static string Notification(string displayPhoneNumber, params object[] messages) =>
        MetaWebhook.Notification(displayPhoneNumber, PhoneNumberId, Person, messages);

    public static object Text(string id, string body, string from = Person, DateTimeOffset? sentAt = null) => MetaWebhook.Text(from, id, body, sentAt);

    /// <summary>Meta's timestamp: Unix seconds as a string.</summary>
    public static string Unix(DateTimeOffset at) => MetaWebhook.Unix(at);

    public static HttpRequestMessage Signed(string json, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/whatsapp/webhook") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation(WhatsAppSignature.Header, signature ?? WhatsAppSignature.Sign(bytes, AppSecret));
        return request;
    }

    private static async Task<(ChannelHarness Harness, FakeGraphApi Graph)> StartAsync(Action<IServiceCollection>? services = null)
    {
        var graph = await FakeGraphApi.StartAsync();
        var h = await ChannelHarness.StartAsync(settings: WhatsAppSettings(graph), services: FastRetries + services);
        await h.AddCompanyAsync();
        return (h, graph);
    }

    [Fact]
    public async Task Verification_echoes_the_challenge_only_for_the_right_token()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();

        var ok = await client.GetAsync($"v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=1158201444", Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync(Ct));

        foreach (var query in new[]
                 {
                     "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
                     "hub.mode=subscribe&hub.challenge=1",
                     "hub.mode=unsubscribe&hub.verify_token=" + VerifyToken + "&hub.challenge=1",
                     "hub.mode=subscribe&hub.verify_token=" + VerifyToken,
                     "hub.mode=subscribe&hub.verify_token=" + VerifyToken + "&hub.challenge=" + new string('9', 300),
                 })
            await ProblemAsync(await client.GetAsync("v1/whatsapp/webhook?" + query, Ct), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Guessing_the_verify_token_is_rate_limited_but_notifications_are_not()
    {
        var graph = await FakeGraphApi.StartAsync();
        await using var __ = graph;
        var settings = WhatsAppSettings(graph);
        settings[CalendarConnect.Backend.Assistant.AssistantChannelOptions.PerClientVariable] = "3";
        await using var h = await ChannelHarness.StartAsync(settings: settings, services: FastRetries);
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        for (var i = 0; i < 3; i++)
            await ProblemAsync(await client.GetAsync($"v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess{i}&hub.challenge=1", Ct), HttpStatusCode.Forbidden);
        var limited = await client.GetAsync($"v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=1", Ct);
        await ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.Contains("Retry-After"));

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.rl" + i, "hola", from: "54911444400" + (10 + i)))), Ct)).StatusCode);
        await graph.WaitForAsync(5);
    }

    [Fact]
    public async Task A_signed_text_message_books_through_the_assistant_and_replies_through_graph()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();

        // Meta writes the business number without "+"; the admin saved "+5491155550000".
        var response = await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.1", "Quiero reservar para mañana a las 3 PM"))), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = (await graph.WaitForAsync(1))[0];
        Assert.Equal(PhoneNumberId, first.PhoneNumberId);
        Assert.Equal("Bearer " + AccessToken, first.Authorization);
        Assert.Equal(["messaging_product", "recipient_type", "text", "to", "type"], PropertyNames(first.Body));
        Assert.Equal("whatsapp", first.Body.GetProperty("messaging_product").GetString());
        Assert.Equal("individual", first.Body.GetProperty("recipient_type").GetString());
        Assert.Equal("text", first.Body.GetProperty("type").GetString());
        Assert.Equal(Person, first.To);
        Assert.Contains("disponible", first.Text);

        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.2", "Sí"))), Ct);
        await graph.WaitForAsync(2);
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.3", "Ana"))), Ct);
        var all = await graph.WaitForAsync(3);
        Assert.StartsWith("Listo", all[2].Text);
        Assert.Equal("Ana", Assert.Single(h.Calendar.Events.Values).Name);
        // Same conversation as a channel message from that number.
        Assert.NotNull(await h.StoredStateAsync(ChannelHarness.CustomerId, "channel:whatsapp:+5491144440000"));
        Assert.DoesNotContain(AccessToken, h.Logs.All);
    }

    [Fact]
    public async Task Missing_bad_or_tampered_signatures_are_refused_and_nothing_is_processed()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var json = Notification("5491155550000", Text("wamid.forged", "Quiero reservar para mañana a las 3 PM"));

        var missing = Signed(json);
        missing.Headers.Remove(WhatsAppSignature.Header);
        await ProblemAsync(await client.SendAsync(missing, Ct), HttpStatusCode.Unauthorized);

        var otherSecret = WhatsAppSignature.Sign(Encoding.UTF8.GetBytes(json), "not-the-secret");
        await ProblemAsync(await client.SendAsync(Signed(json, otherSecret), Ct), HttpStatusCode.Forbidden);

        // Signed for one body, sent with another (one character changed).
        var tampered = Signed(json.Replace("3 PM", "4 PM"), WhatsAppSignature.Sign(Encoding.UTF8.GetBytes(json), AppSecret));
        await ProblemAsync(await client.SendAsync(tampered, Ct), HttpStatusCode.Forbidden);

        foreach (var malformed in new[] { "sha256=zz", "sha1=" + new string('a', 40), "sha256=" + new string('0', 64), "garbage" })
            await ProblemAsync(await client.SendAsync(Signed(json, malformed), Ct), HttpStatusCode.Forbidden);

        // The id was never recorded: the genuine delivery of the same message is answered, and is the only thing sent.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(json), Ct)).StatusCode);
        await graph.WaitForAsync(1);
        await h.WaitHandledAsync("wamid.forged");
        Assert.Single(graph.Attempts);
    }

    [Fact]
    public async Task Several_messages_in_one_notification_are_answered_in_order()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        // Meta batches: one change with three messages, the middle one from a sender id that is not a phone number.
        var json = Notification("5491155550000",
            Text("wamid.b1", "Quiero reservar para mañana a las 3 PM"),
            Text("wamid.b2", "hola", from: "not-a-number"),
            Text("wamid.b3", "Sí"));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(json), Ct)).StatusCode);
        var replies = await graph.WaitForAsync(2);
        Assert.Contains("disponible", replies[0].Text);
        Assert.Contains("nombre", replies[1].Text);
        // The message that got no answer was handled too (it is the one that could have added a reply).
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.b2")).Status);
        Assert.Equal(2, graph.Attempts.Count);
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.b2") && l.Contains("not a phone number"));
        Assert.DoesNotContain("not-a-number", h.Logs.All);
    }

    [Fact]
    public async Task A_message_delivered_twice_is_answered_once()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var json = Notification("5491155550000", Text("wamid.again", "hola"));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(json), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(json), Ct)).StatusCode);
        await graph.WaitForAsync(1);
        // A restarted backend (or another replica) recognises it too.
        await h.StopAsync(h.Server);
        await h.StartBackendAsync();
        using var restarted = h.Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await restarted.SendAsync(Signed(json), Ct)).StatusCode);
        // A later message of the same conversation is answered after anything stored before it.
        Assert.Equal(HttpStatusCode.OK, (await restarted.SendAsync(Signed(Notification("5491155550000", Text("wamid.later", "hola"))), Ct)).StatusCode);
        await graph.WaitForAsync(2);
        await h.WaitHandledAsync("wamid.later");
        Assert.Equal(2, graph.Attempts.Count);
    }

    [Fact]
    public async Task A_message_to_a_number_no_company_has_gets_a_polite_refusal_and_a_log_line()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("14155550100", Text("wamid.nobody", "I'd like to book tomorrow at 3 PM"))), Ct)).StatusCode);
        var reply = (await graph.WaitForAsync(1))[0];
        Assert.StartsWith("Sorry", reply.Text);
        Assert.Contains(h.Logs.Lines, l => l.Contains("+14155550100") && l.Contains("no company"));
        Assert.Empty(h.Calendar.Events);
    }

    [Fact]
    public async Task A_non_text_message_gets_a_polite_only_text_answer()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var image = new { from = Person, id = "wamid.image", timestamp = Unix(DateTimeOffset.UtcNow), type = "image", image = new { mime_type = "image/jpeg", sha256 = "abc", id = "1234" } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("5491155550000", image)), Ct)).StatusCode);
        Assert.Contains("solo puedo leer mensajes de texto", (await graph.WaitForAsync(1))[0].Text);
    }

    [Fact]
    public async Task Delivery_statuses_and_malformed_items_are_acknowledged_and_ignored()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var statuses = """
            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp",
             "metadata":{"display_phone_number":"5491155550000","phone_number_id":"106540352242922"},
             "statuses":[{"id":"wamid.out","status":"delivered","timestamp":"1736946000","recipient_id":"5491144440000"}]},"field":"messages"}]}]}
            """;
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(statuses), Ct)).StatusCode);
        // A phone_number_id that would become part of the Graph URL, and a message without a sender.
        var hostile = Notification("5491155550000", Text("wamid.h", "hola")).Replace(PhoneNumberId, "../../me/accounts");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(hostile), Ct)).StatusCode);
        var noSender = Notification("5491155550000", new { id = "wamid.nosender", type = "text", text = new { body = "hola" } });
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(noSender), Ct)).StatusCode);
        // Signed but not Meta's shape, or not JSON.
        await ProblemAsync(await client.SendAsync(Signed("""{"hello":"world"}"""), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.SendAsync(Signed("{not json"), Ct), HttpStatusCode.BadRequest);
        // A later message from the same person is answered, and is the only thing sent: none of the above was stored.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.marker", "hola"))), Ct)).StatusCode);
        await graph.WaitForAsync(1);
        await h.WaitHandledAsync("wamid.marker");
        Assert.Single(graph.Attempts);
        Assert.Null(await h.InboxRowAsync("wamid.h"));
        Assert.Null(await h.InboxRowAsync("wamid.nosender"));
    }

    [Fact]
    public async Task An_oversized_notification_is_refused_before_it_is_read()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var huge = Notification("5491155550000", Text("wamid.big", new string('a', WhatsAppWebhookEndpoints.MaxBodyBytes)));
        await ProblemAsync(await client.SendAsync(Signed(huge), Ct), HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(graph.Attempts);
    }

    [Fact]
    public async Task Throttling_is_retried_but_a_refusal_or_a_server_error_after_sending_is_not()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();

        graph.FailNext(429, 429);
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.retry", "hola"))), Ct);
        await graph.WaitForAsync(1);
        Assert.Equal(3, graph.Attempts.Count);

        // A refusal (400) is not retried; nor is a 500: Graph may have sent the message before failing, and a
        // second copy is worse than none.
        graph.FailNext(400);
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.refused", "hola"))), Ct);
        await h.WaitHandledAsync("wamid.refused");
        graph.FailNext(500);
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.down", "hola"))), Ct);
        await h.WaitHandledAsync("wamid.down");
        Assert.Equal(5, graph.Attempts.Count);
        Assert.Single(graph.Messages);
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.refused") && l.Contains("HTTP 400") && l.Contains("131000"));
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.down") && l.Contains("HTTP 500") && l.Contains("not sent again"));

        // Throttled three times in a row: given up after the configured attempts.
        graph.FailNext(429, 429, 429);
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.throttled", "hola"))), Ct);
        await h.WaitHandledAsync("wamid.throttled");
        Assert.Equal(8, graph.Attempts.Count);
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.throttled") && l.Contains("3 attempts"));
        Assert.DoesNotContain(AccessToken, h.Logs.All);
        Assert.DoesNotContain("Something went wrong", h.Logs.All);
    }

    [Fact]
    public async Task Throttling_waits_for_retry_after()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        graph.RetryAfterSeconds = 1;
        graph.FailNext(429);
        var sent = DateTime.UtcNow;
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.after", "hola"))), Ct);
        await graph.WaitForAsync(1);
        Assert.True(DateTime.UtcNow - sent >= TimeSpan.FromSeconds(0.9), "the retry did not wait for Retry-After");
        Assert.Equal(2, graph.Attempts.Count);
    }

    [Fact]
    public async Task A_timeout_after_sending_is_not_sent_again()
    {
        var (h, graph) = await StartAsync(s => s.AddHttpClient(WhatsAppGraphClient.HttpClientName, c => c.Timeout = TimeSpan.FromMilliseconds(500)));
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        graph.HangNext();
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.slow", "hola"))), Ct);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.slow")).Status);
        Assert.Single(graph.Attempts);
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.slow") && l.Contains("timed out") && l.Contains("not sent again"));
    }

    [Fact]
    public async Task Stopping_while_a_reply_is_being_sent_finishes_it_and_the_restart_does_not_send_it_again()
    {
        var (h, graph) = await StartAsync(s => s.AddHttpClient(WhatsAppGraphClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(2)));
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        graph.HangNext();
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.instop", "hola"))), Ct);
        await Eventually.TrueAsync(() => Task.FromResult(!graph.Attempts.IsEmpty), "the reply reached Graph");
        // The stop comes while Graph holds the request: it may have delivered it, so it must not be abandoned and sent again.
        await h.StopAsync(h.Server);
        await h.StartBackendAsync();
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.instop")).Status);
        Assert.Single(graph.Attempts);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("wamid.instop") && l.Contains("answered after the restart"));
    }

    [Fact]
    public async Task A_connection_that_could_not_be_made_is_retried()
    {
        var graph = await FakeGraphApi.StartAsync();
        await using var __ = graph;
        var settings = WhatsAppSettings(graph);
        settings[WhatsAppOptions.ApiBaseVariable] = "http://127.0.0.1:9/v21.0"; // nothing listens: connection refused
        await using var h = await ChannelHarness.StartAsync(settings: settings, services: FastRetries);
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.refusedconn", "hola"))), Ct);
        await h.WaitHandledAsync("wamid.refusedconn");
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.refusedconn") && l.Contains("ConnectionError") && l.Contains("3 attempts"));
        Assert.DoesNotContain(AccessToken, h.Logs.All);
    }

    [Fact]
    public async Task Messages_sent_too_long_ago_or_in_the_future_are_acknowledged_and_dropped()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var now = DateTimeOffset.UtcNow;
        // A replayed notification from before the ids kept (8 days) would not be recognised as a repeat.
        var json = Notification("5491155550000",
            Text("wamid.old", "Quiero reservar para mañana a las 3 PM", sentAt: now - TimeSpan.FromDays(7.1)),
            Text("wamid.future", "Quiero reservar para mañana a las 3 PM", sentAt: now + TimeSpan.FromMinutes(10)),
            Text("wamid.recent", "hola", sentAt: now - TimeSpan.FromDays(6.9)));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(json), Ct)).StatusCode);
        await graph.WaitForAsync(1);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.recent")).Status);
        Assert.Single(graph.Attempts);
        Assert.Null(await h.InboxRowAsync("wamid.old"));
        Assert.Null(await h.InboxRowAsync("wamid.future"));
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.old") && l.Contains("dropped"));
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.future") && l.Contains("dropped"));
        Assert.DoesNotContain("reservar", h.Logs.All);
    }

    [Fact]
    public async Task A_text_longer_than_the_assistant_reads_gets_a_polite_answer_not_an_error()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var text = string.Concat(Enumerable.Repeat("Quiero reservar para mañana a las 3 PM. ", 60));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.long", text))), Ct)).StatusCode);
        Assert.Contains("demasiado largo", (await graph.WaitForAsync(1))[0].Text);
        Assert.Empty(h.Calendar.Events);
    }

    public static TheoryData<string> BothEngines => [Engines.Sqlite, Engines.PostgreSql];

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Messages_in_flight_or_waiting_when_the_backend_stops_are_answered_after_the_restart(string engine)
    {
        var graph = await FakeGraphApi.StartAsync();
        await using var __ = graph;
        await using var h = await ChannelHarness.StartAsync(engine, settings: WhatsAppSettings(graph), services: FastRetries);
        await h.AddCompanyAsync();
        var client = h.Server.CreateClient();
        async Task<HttpResponseMessage> Send(HttpClient c, string id, string text) => await c.SendAsync(Signed(Notification("5491155550000", Text(id, text))), Ct);

        await Send(client, "wamid.q1", "Quiero reservar para mañana a las 3 PM");
        await Send(client, "wamid.q2", "Sí");
        await graph.WaitForAsync(2);
        // "Ana" is held inside its booking; the next message of the conversation waits behind it.
        h.Calendar.HoldBookings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, "wamid.q3", "Ana")).StatusCode);
        await h.Calendar.BookingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, "wamid.q4", "¿Cuándo es mi turno?")).StatusCode);

        // A deploy: both were acknowledged to Meta, which will not deliver them again.
        client.Dispose();
        await h.StopAsync(h.Server);
        Assert.Equal(2, graph.Messages.Count);
        h.Calendar.HoldBookings = null;
        await h.StartBackendAsync();

        var replies = await graph.WaitForAsync(4);
        Assert.StartsWith("Listo", replies[2].Text);
        Assert.Contains("16 de enero", replies[3].Text);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.q4")).Status);
        Assert.Equal(4, graph.Attempts.Count);
        Assert.Single(h.Calendar.Events);
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.q3") && l.Contains("after the restart"));
    }

    [Fact]
    public async Task A_message_left_by_a_crashed_replica_is_answered_once_its_lease_runs_out()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        // As a replica that died while answering leaves it: pending, leased, the lease running out shortly.
        var until = DateTimeOffset.UtcNow.AddSeconds(1);
        await h.ExecuteAsync("""
            INSERT INTO whatsapp_messages_received
                (message_id, received_at, status, display_phone_number, phone_number_id, sender, type, body, sent_at, attempts, next_attempt_at, lease_owner, lease_until)
            VALUES ('wamid.orphan', @now, 'pending', '5491155550000', @phoneNumberId, @person, 'text', 'hola', @now, 1, @now, 'dead-replica', @until);
            """, new
        {
            now = CalendarConnect.Backend.Assistant.DatabaseConversationStore.Timestamp(DateTimeOffset.UtcNow),
            until = CalendarConnect.Backend.Assistant.DatabaseConversationStore.Timestamp(until),
            phoneNumberId = PhoneNumberId, person = Person,
        });
        var reply = (await graph.WaitForAsync(1))[0];
        Assert.True(DateTimeOffset.UtcNow >= until, "taken while another replica's lease was still valid");
        Assert.Equal(Person, reply.To);
        Assert.Equal(("done", 2L), await h.WaitHandledAsync("wamid.orphan"));
        Assert.Single(graph.Attempts);
    }

    [Fact]
    public async Task A_message_that_cannot_be_answered_while_the_database_fails_is_tried_again_then_given_up()
    {
        // The last try comes 5 s after the second: time enough, on a loaded machine, to mend the database in between
        // (with 100 ms the mend could come after the last try, and the message be given up).
        var (h, graph) = await StartAsync(services => services.Configure<WhatsAppOptions>(o =>
            o.AnswerRetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)]));
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        // The companies cannot be read (as when the database fails), but the webhook can still store messages.
        await h.ExecuteAsync("ALTER TABLE customer_memory RENAME TO customer_memory_away", new { });
        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.lost", "hola"))), Ct);
        Assert.Equal(("failed", 3L), await h.WaitHandledAsync("wamid.lost"));
        Assert.Contains(h.Logs.Lines, l => l.Contains("wamid.lost") && l.Contains("given up") && l.Contains("SqliteException"));

        await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.later", "hola"), Text("wamid.sameperson", "hola"))), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!h.Logs.Lines.Any(l => l.Contains("wamid.later") && l.Contains("trying again in 00:00:05")))
        {
            Assert.True(DateTime.UtcNow < deadline, "no retry was logged");
            await Task.Delay(25, Ct);
        }
        await h.ExecuteAsync("ALTER TABLE customer_memory_away RENAME TO customer_memory", new { });
        var replies = await graph.WaitForAsync(2);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.sameperson")).Status);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.later")).Status);
        Assert.Equal(2, graph.Attempts.Count);
        Assert.DoesNotContain("hola", h.Logs.All);
    }

    [Fact]
    public async Task When_the_message_cannot_be_stored_meta_is_asked_to_deliver_again()
    {
        var (h, graph) = await StartAsync();
        await using var _ = h;
        await using var __ = graph;
        using var client = h.Server.CreateClient();
        var json = Notification("5491155550000", Text("wamid.unstored", "hola"));
        await h.ExecuteAsync("ALTER TABLE whatsapp_messages_received RENAME TO whatsapp_messages_away", new { });
        var refused = await client.SendAsync(Signed(json), Ct);
        await ProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.True(refused.Headers.Contains("Retry-After"));

        await h.ExecuteAsync("ALTER TABLE whatsapp_messages_away RENAME TO whatsapp_messages_received", new { });
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(json), Ct)).StatusCode);
        await graph.WaitForAsync(1);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.unstored")).Status);
        Assert.Single(graph.Attempts);
    }

    [Theory]
    [MemberData(nameof(BothEngines))]
    public async Task Ids_received_before_the_inbox_existed_are_still_recognised_as_repeats(string engine)
    {
        var graph = await FakeGraphApi.StartAsync();
        await using var __ = graph;
        await using var h = await ChannelHarness.StartAsync(engine, settings: WhatsAppSettings(graph), services: FastRetries);
        await h.AddCompanyAsync();
        // The database as schema version 3 left it: ids only.
        await h.ExecuteAsync("""
            DROP TABLE whatsapp_messages_received;
            CREATE TABLE whatsapp_messages_received (message_id TEXT NOT NULL PRIMARY KEY, received_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS whatsapp_messages_received_at ON whatsapp_messages_received (received_at);
            INSERT INTO whatsapp_messages_received (message_id, received_at) VALUES ('wamid.v3', @now);
            DELETE FROM schema_version WHERE version = 4;
            """, new { now = CalendarConnect.Backend.Assistant.DatabaseConversationStore.Timestamp(DateTimeOffset.UtcNow) });
        await h.StopAsync(h.Server);
        await h.StartBackendAsync();
        using var client = h.Server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.v3", "hola"))), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.v4", "hola"))), Ct)).StatusCode);
        await graph.WaitForAsync(1);
        Assert.Equal("done", (await h.WaitHandledAsync("wamid.v4")).Status);
        Assert.Single(graph.Attempts);
        Assert.Equal(("done", 0L), await h.InboxRowAsync("wamid.v3"));
    }

    [Fact]
    public async Task Without_its_variables_the_webhook_is_off()
    {
        await using var h = await ChannelHarness.StartAsync();
        using var client = h.Server.CreateClient();
        await ProblemAsync(await client.GetAsync($"v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await client.SendAsync(Signed(Notification("5491155550000", Text("wamid.off", "hola")), "sha256=" + new string('0', 64)), Ct), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(WhatsAppOptions.VerifyTokenVariable, WhatsAppOptions.AppSecretVariable)]
    [InlineData(WhatsAppOptions.AccessTokenVariable, WhatsAppOptions.VerifyTokenVariable)]
    public async Task Half_a_configuration_stops_the_start_naming_what_is_missing(string set, string named)
    {
        var settings = BackendHarness.Settings(Path.Combine(BackendHarness.NewTempFolder(), "c.db"), "http://127.0.0.1:9");
        settings[set] = "some-secret-value";
        settings["urls"] = "http://127.0.0.1:0";
        await using var app = Program.BuildApp([], settings);
        var failure = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(
            await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(Ct)));
        Assert.Contains(failure.Failures, f => f.StartsWith(named + " is not set"));
        Assert.DoesNotContain("some-secret-value", string.Join("\n", failure.Failures));
    }

    [Theory]
    [InlineData("http://graph.example.com/v21.0")]
    [InlineData("not a url")]
    [InlineData("https://graph.facebook.com/v21.0?x=1")]
    public async Task An_api_base_that_would_leak_the_token_stops_the_start(string apiBase)
    {
        var settings = BackendHarness.Settings(Path.Combine(BackendHarness.NewTempFolder(), "c.db"), "http://127.0.0.1:9");
        settings[WhatsAppOptions.VerifyTokenVariable] = "a";
        settings[WhatsAppOptions.AppSecretVariable] = "b";
        settings[WhatsAppOptions.AccessTokenVariable] = "c";
        settings[WhatsAppOptions.ApiBaseVariable] = apiBase;
        settings["urls"] = "http://127.0.0.1:0";
        await using var app = Program.BuildApp([], settings);
        var failure = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(
            await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(Ct)));
        Assert.StartsWith(WhatsAppOptions.ApiBaseVariable, Assert.Single(failure.Failures));
    }
}
