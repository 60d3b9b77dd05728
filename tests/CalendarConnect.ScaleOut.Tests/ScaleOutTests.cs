using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.ScaleOut.Tests;

/// <summary>
/// Two MCP server processes and two backend processes on PostgreSQL behind HAProxy with the shipped configuration,
/// the emulator as Google. Through the balancer: the admin API connects companies (consent started on one replica and
/// finished on the other), the MCP endpoint books and reads, the WhatsApp webhook answers once; then, during steady
/// traffic, one replica of each service is killed (SIGKILL) and Google's calendars show no lost and no double booking,
/// with only the requests in flight at the kill failed, each retried by its caller.
/// </summary>
public sealed class ScaleOutTests
{
    private const string Zone = "America/Argentina/Buenos_Aires";
    private const string BusinessNumber = "+5491155550000";
    private const string PhoneNumberId = "106540352242922";
    private const string Person = "5491144440000";

    /// <summary>How long the steady traffic runs before one replica of each service is killed, and after.</summary>
    private static readonly TimeSpan TrafficBeforeKill = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TrafficAfterKill = TimeSpan.FromSeconds(12);

    /// <summary>Each caller succeeds at least this often before the kill, and again after it (a slow machine runs longer).</summary>
    private const int OperationsPerCaller = 3;

    private sealed record Company(string Id, string Email, string Name);

    /// <summary>A booking a caller was told succeeded.</summary>
    private sealed record Booking(Company Company, string EventId, DateTimeOffset Start);

    private static readonly Company[] Companies = Enumerable.Range(1, 4)
        .Select(i => new Company($"empresa-scaleout-{i}", $"agenda{i}@empresa-scaleout.com", $"Empresa Scaleout {i}")).ToArray();

    [Fact]
    public async Task Two_replicas_of_each_service_behind_haproxy_connect_book_answer_whatsapp_and_survive_losing_one_of_each()
    {
        var wall = Stopwatch.StartNew();
        var phases = new StringBuilder();
        void Phase(string name) => phases.Append(CultureInfo.InvariantCulture, $"{name} {wall.Elapsed.TotalSeconds:F1} s; ");

        await using var deployment = await ScaleOutDeployment.StartAsync();
        Phase("started");
        using var google = new GoogleSide(deployment.Emulator.Address);
        try
        {
            await ConnectCompaniesAsync(deployment, google);
            Phase("connected");
            var days = BookableDays();
            var firstBooking = await BookAndReadAsync(deployment, Companies[0], days[0]);
            Phase("booked");
            await WhatsAppAnswersOnceAsync(deployment);
            Phase("whatsapp");

            var (log, bookings, killedFrom, killedTo) = await SteadyTrafficWithKillsAsync(deployment, days.Skip(1).ToList());
            Phase("traffic");
            TestContext.Current.TestOutputHelper?.WriteLine("Wall time: " + phases);
            Report(log, killedFrom, killedTo);

            // Only what was in flight when the replicas died failed, at most one operation per caller, and each was retried to success.
            var callers = log.Operations.Select(o => o.Caller).Distinct().Count();
            Assert.All(log.Operations, o => Assert.True(o.Succeeded, $"{o.Caller} {o.Kind} never succeeded: {Describe(o)}"));
            var failed = log.Operations.Where(o => o.FailedAtLeastOnce).ToList();
            Assert.All(failed, o => Assert.True(o.InFlightDuring(killedFrom, killedTo), $"{o.Caller} {o.Kind} failed without being in flight at the kill: {Describe(o)}"));
            Assert.True(failed.Count <= callers, $"{failed.Count} operations failed, more than the {callers} callers had in flight");
            Assert.True(deployment.McpServers[0].HasExited && deployment.Backends[0].HasExited);

            // Google's side: every booking a caller was told succeeded is there once, at its time; nothing else; no time twice.
            var until = DateTimeOffset.UtcNow.AddDays(90);
            foreach (var company in Companies)
            {
                var told = bookings.Where(b => b.Company == company).ToList();
                if (company == Companies[0]) told.Add(firstBooking);
                var events = await google.EventsAsync(company.Email, DateTimeOffset.UtcNow, until);
                Assert.Equal(told.Select(b => b.EventId).Order(StringComparer.Ordinal), events.Select(e => e.Id).Order(StringComparer.Ordinal));
                Assert.All(told, b => Assert.Equal(b.Start, Assert.Single(events, e => e.Id == b.EventId).Start));
                var doubled = events.GroupBy(e => e.Start).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(doubled.Count == 0, $"{company.Id} has two events at {string.Join(", ", doubled)}");
            }
        }
        catch
        {
            TestContext.Current.TestOutputHelper?.WriteLine(deployment.Output);
            throw;
        }
    }

    /// <summary>
    /// (1) The admin API adds four companies through the balancer. Two finish Google's consent through the balancer (the
    /// authorization URL, and the shareable link); two start it directly at one MCP replica and finish the callback at the
    /// other. The admin API then shows all four connected, and the balancer's access log holds no OAuth code and no link token.
    /// </summary>
    private static async Task ConnectCompaniesAsync(ScaleOutDeployment deployment, GoogleSide google)
    {
        using var admin = deployment.AdminApi();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var codes = new List<string>();
        var links = new List<string>();

        async Task FinishAtAsync(Uri authorizationUrl, Company company, Uri callbackAt)
        {
            var redirect = await GoogleConsent.DecideAsync(authorizationUrl.ToString(), company.Email, allow: true);
            Assert.Equal(new Uri(deployment.Mcp, "oauth/callback").AbsoluteUri, redirect.GetLeftPart(UriPartial.Path));
            codes.Add(System.Web.HttpUtility.ParseQueryString(redirect.Query)["code"]!);
            using var callback = await browser.GetAsync(new Uri(callbackAt, "oauth/callback" + redirect.Query));
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            Assert.Equal(ScaleOutDeployment.SuccessUrl, callback.Headers.Location!.ToString());
        }

        for (var i = 0; i < Companies.Length; i++)
        {
            var company = Companies[i];
            await google.CreateAccountAsync(company.Email, Zone);
            using var connect = await admin.PostAsJsonAsync("/v1/customer-calendars/connect", new
            {
                customer_id = company.Id, customer_email = company.Email, customer_name = company.Name,
                whatsapp_number = i == 0 ? BusinessNumber : null,
            });
            Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
            var answer = await connect.Content.ReadFromJsonAsync<JsonElement>();
            var shareable = new Uri(answer.GetProperty("shareable_link").GetString()!);
            Assert.Equal(deployment.Mcp.Authority, shareable.Authority); // MCP_SERVER_URL: the balancer
            links.Add(shareable.AbsolutePath);

            switch (i)
            {
                case 0: // the authorization URL the admin opens, the callback through the balancer
                    await FinishAtAsync(new Uri(answer.GetProperty("authorization_url").GetString()!), company, deployment.Mcp);
                    break;
                case 1: // the shareable link the company opens, through the balancer
                    using (var visit = await browser.GetAsync(shareable))
                    {
                        Assert.Equal(HttpStatusCode.Redirect, visit.StatusCode);
                        await FinishAtAsync(visit.Headers.Location!, company, deployment.Mcp);
                    }
                    break;
                default: // authorize at one replica, the callback at the other
                    var starter = deployment.McpServers[i % 2];
                    var finisher = deployment.McpServers[(i + 1) % 2];
                    using (var service = deployment.ServiceApi(starter.Address))
                    using (var authorize = await service.PostAsJsonAsync("/oauth/authorize", new { customer_id = company.Id, customer_email = company.Email }))
                    {
                        Assert.Equal(HttpStatusCode.OK, authorize.StatusCode);
                        var started = await authorize.Content.ReadFromJsonAsync<JsonElement>();
                        await FinishAtAsync(new Uri(started.GetProperty("authorization_url").GetString()!), company, finisher.Address);
                    }
                    break;
            }
        }

        foreach (var company in Companies)
        {
            var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/customer-calendars/{company.Id}");
            Assert.Equal("connected", view.GetProperty("status").GetString());
            Assert.Equal(company.Email, view.GetProperty("calendar_email").GetString());
        }

        using var connected = await admin.GetAsync("/v1/customer-calendars?status=connected");
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Equal(Companies.Select(c => c.Id).Order(StringComparer.Ordinal),
            (await connected.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(c => c.GetProperty("customer_id").GetString()!).Order(StringComparer.Ordinal));

        // The shipped log format keeps Google's one-time codes and the links' tokens out of the balancer's access log.
        // HAProxy writes a request's line once the request is over, so the callbacks' lines are waited for.
        await Eventually.TrueAsync(() => Task.FromResult(deployment.Balancer.Output.Contains("/oauth/callback", StringComparison.Ordinal)),
            "the balancer logged the callbacks it passed on", TimeSpan.FromSeconds(10));
        var accessLog = deployment.Balancer.Output;
        Assert.All(codes, code => Assert.DoesNotContain(code, accessLog));
        Assert.All(links, link => Assert.DoesNotContain(link, accessLog));
    }

    /// <summary>(2) Through the balancer with the official MCP client: status, free slots, a booking, its retry, and the list.</summary>
    private static async Task<Booking> BookAndReadAsync(ScaleOutDeployment deployment, Company company, LocalDate day)
    {
        await using var mcp = await ConnectMcpAsync(deployment, company, CancellationToken.None);
        var status = Ok(await mcp.CallToolAsync("get_calendar_status", new Dictionary<string, object?>()));
        Assert.Equal("connected", status.GetProperty("status").GetString());

        var date = LocalDatePattern.Iso.Format(day);
        var slots = Ok(await mcp.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = date })).GetProperty("slots");
        var start = slots[0].GetProperty("start").GetString()!;
        var arguments = new Dictionary<string, object?> { ["start_iso"] = start, ["customer_name"] = "Ana Pérez", ["idempotency_key"] = "scaleout-first" };
        var booked = Ok(await mcp.CallToolAsync("book_appointment", arguments));
        var eventId = booked.GetProperty("event_id").GetString()!;
        // The same request again (round robin: the other replica) is the same booking.
        Assert.Equal(eventId, Ok(await mcp.CallToolAsync("book_appointment", arguments)).GetProperty("event_id").GetString());

        var listed = Ok(await mcp.CallToolAsync("list_appointments", new Dictionary<string, object?> { ["from_iso"] = date, ["to_iso"] = date }));
        var appointment = Assert.Single(listed.GetProperty("appointments").EnumerateArray());
        Assert.Equal(eventId, appointment.GetProperty("event_id").GetString());
        // Availability answers from each replica's copy of the busy-time mirror, which learns the other replica's booking
        // within about a second (README): two reads in a row (round robin: both replicas) no longer offer the time.
        async Task<bool> OfferedAsync() => Ok(await mcp.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = date }))
            .GetProperty("slots").EnumerateArray().Any(s => s.GetProperty("start").GetString() == start);
        await Eventually.TrueAsync(async () => !await OfferedAsync() && !await OfferedAsync(),
            "neither replica offers the booked time any more", TimeSpan.FromSeconds(10));
        return new Booking(company, eventId, DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// (3) Meta posts a signed notification through the balancer, and delivers it again (round robin: to the other
    /// replica); then the person's next message. Exactly one reply to each goes out, in order: a conversation's messages
    /// are answered in order, so once the second reply is out, the first cannot be answered again.
    /// </summary>
    private static async Task WhatsAppAnswersOnceAsync(ScaleOutDeployment deployment)
    {
        using var meta = new HttpClient { BaseAddress = deployment.Admin, Timeout = TimeSpan.FromSeconds(30) };
        await PostSignedAsync(meta, Notification("wamid.scaleout.1", "Hola"));
        await PostSignedAsync(meta, Notification("wamid.scaleout.1", "Hola"));
        await PostSignedAsync(meta, Notification("wamid.scaleout.2", "Gracias"));

        var replies = await deployment.Graph.WaitForAsync(2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, deployment.Graph.Messages.Count);
        Assert.All(replies, reply =>
        {
            Assert.Equal((PhoneNumberId, Person), (reply.PhoneNumberId, reply.To));
            Assert.Equal("Bearer " + ScaleOutDeployment.WhatsAppAccessToken, reply.Authorization);
            Assert.False(string.IsNullOrWhiteSpace(reply.Text));
        });
    }

    /// <summary>
    /// (4) Steady traffic through the balancer: one MCP caller per company booking its own distinct slots (each booking
    /// followed by a read of that day's availability) and two admin API callers. After <see cref="TrafficBeforeKill"/>, with
    /// every caller under way, one MCP replica and one backend replica are killed at the same moment; the traffic goes on
    /// for <see cref="TrafficAfterKill"/> and until every caller has again succeeded a few times.
    /// </summary>
    private static async Task<(TrafficLog Log, IReadOnlyList<Booking> Bookings, TimeSpan KilledFrom, TimeSpan KilledTo)> SteadyTrafficWithKillsAsync(
        ScaleOutDeployment deployment, IReadOnlyList<LocalDate> days)
    {
        var log = new TrafficLog();
        var bookings = new System.Collections.Concurrent.ConcurrentQueue<Booking>();
        using var stop = new CancellationTokenSource();
        var callers = Companies.Select(company => Task.Run(() => McpCallerAsync(deployment, log, company, days, bookings, stop.Token)))
            .Concat(Enumerable.Range(1, 2).Select(n => Task.Run(() => AdminCallerAsync(deployment, log, $"admin-{n}", stop.Token))))
            .ToList();
        TimeSpan killedFrom, killedTo;
        try
        {
            await Eventually.TrueAsync(() => UnderWayAsync(log, callers, TimeSpan.Zero, TrafficBeforeKill),
                "every caller under way before the kill", TimeSpan.FromSeconds(90));
            killedFrom = log.Now;
            deployment.McpServers[0].Kill();
            deployment.Backends[0].Kill();
            killedTo = log.Now;
            await Eventually.TrueAsync(() => UnderWayAsync(log, callers, killedTo, TrafficAfterKill),
                "every caller under way again after the kill", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(callers);
        }

        return (log, bookings.ToList(), killedFrom, killedTo);
    }

    /// <summary>
    /// Whether the traffic has run for <paramref name="duration"/> since <paramref name="since"/> and each of the callers
    /// has succeeded at least <see cref="OperationsPerCaller"/> operations begun since then. A caller that stopped ends the wait with its error.
    /// </summary>
    private static async Task<bool> UnderWayAsync(TrafficLog log, IReadOnlyList<Task> callers, TimeSpan since, TimeSpan duration)
    {
        if (callers.FirstOrDefault(c => c.IsCompleted) is { } stopped)
        {
            await stopped;
            throw new InvalidOperationException("A caller stopped before the traffic did.");
        }

        if (log.Now < since + duration) return false;
        var succeeded = log.Operations.Where(o => o.Succeeded && o.Attempts[0].StartedAt >= since).GroupBy(o => o.Caller).ToList();
        return succeeded.Count == callers.Count && succeeded.All(c => c.Count() >= OperationsPerCaller);
    }

    private static async Task McpCallerAsync(ScaleOutDeployment deployment, TrafficLog log, Company company, IReadOnlyList<LocalDate> days,
        System.Collections.Concurrent.ConcurrentQueue<Booking> bookings, CancellationToken stop)
    {
        McpClient? client = null;
        var caller = "mcp-" + company.Id;

        // One try of a tool call; a client whose call failed is replaced, as a careful caller does.
        async Task<string?> CallAsync(string tool, Dictionary<string, object?> arguments, Action<JsonElement> succeeded, CancellationToken cancellationToken)
        {
            try
            {
                client ??= await ConnectMcpAsync(deployment, company, cancellationToken);
                var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
                if (result.IsError == true)
                    return $"{tool}: {result.Meta?["calendarconnect/error_code"]}: {string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text))}";
                succeeded(result.StructuredContent!.Value);
                return null;
            }
            catch
            {
                if (client is not null) await client.DisposeAsync();
                client = null;
                throw;
            }
        }

        try
        {
            var slots = days.SelectMany(day => Enumerable.Range(9, 9).Select(hour => day.At(new LocalTime(hour, 0)).InZoneStrictly(DateTimeZoneProviders.Tzdb[Zone])));
            var number = 0;
            foreach (var slot in slots)
            {
                if (stop.IsCancellationRequested) return;
                var start = OffsetDateTimePattern.GeneralIso.Format(slot.ToOffsetDateTime());
                var arguments = new Dictionary<string, object?>
                {
                    ["start_iso"] = start, ["customer_name"] = $"Persona {++number}", ["idempotency_key"] = $"{company.Id}-{number}",
                };
                await log.RunAsync(caller, "book", ct => CallAsync("book_appointment", arguments, answer =>
                {
                    var eventId = answer.GetProperty("event_id").GetString()!;
                    bookings.Enqueue(new Booking(company, eventId, slot.ToDateTimeOffset()));
                }, ct));
                var date = LocalDatePattern.Iso.Format(slot.Date);
                await log.RunAsync(caller, "availability", ct => CallAsync("get_available_slots",
                    new Dictionary<string, object?> { ["date_iso"] = date }, _ => { }, ct));
            }

            // Every slot booked (a fast machine): the caller goes on reading until the traffic stops.
            var last = LocalDatePattern.Iso.Format(days[^1]);
            while (!stop.IsCancellationRequested)
                await log.RunAsync(caller, "availability", ct => CallAsync("get_available_slots",
                    new Dictionary<string, object?> { ["date_iso"] = last }, _ => { }, ct));
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    private static async Task AdminCallerAsync(ScaleOutDeployment deployment, TrafficLog log, string caller, CancellationToken stop)
    {
        using var admin = deployment.AdminApi();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var company = Companies[n % Companies.Length];
            await log.RunAsync(caller, "admin company", async ct =>
            {
                using var response = await admin.GetAsync($"/v1/customer-calendars/{company.Id}", ct);
                if (response.StatusCode != HttpStatusCode.OK) return $"HTTP {(int)response.StatusCode}";
                var status = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString();
                return status == "connected" ? null : $"status {status}";
            });
            await log.RunAsync(caller, "admin list", async ct =>
            {
                using var response = await admin.GetAsync("/v1/customer-calendars", ct);
                if (response.StatusCode != HttpStatusCode.OK) return $"HTTP {(int)response.StatusCode}";
                var statuses = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray().Select(c => c.GetProperty("status").GetString()).ToList();
                return statuses.Count == Companies.Length && statuses.All(s => s == "connected") ? null : $"statuses {string.Join(",", statuses)}";
            });
        }
    }

    private static async Task<McpClient> ConnectMcpAsync(ScaleOutDeployment deployment, Company company, CancellationToken cancellationToken) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(deployment.Mcp, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + deployment.ApiKey, ["X-Customer-Id"] = company.Id },
        }), cancellationToken: cancellationToken);

    /// <summary>Weekdays from two days ahead in the companies' zone on, inside the default 60-day horizon.</summary>
    private static List<LocalDate> BookableDays()
    {
        var today = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb[Zone]).Date;
        return Enumerable.Range(2, 55).Select(today.PlusDays).Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)).ToList();
    }

    private static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        return result.StructuredContent!.Value;
    }

    private static async Task PostSignedAsync(HttpClient meta, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/whatsapp/webhook") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WhatsAppSignature.Header, WhatsAppSignature.Sign(bytes, ScaleOutDeployment.WhatsAppAppSecret));
        using var response = await meta.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Notification(string messageId, string text) =>
        MetaWebhook.Notification(BusinessNumber.TrimStart('+'), PhoneNumberId, Person, MetaWebhook.Text(Person, messageId, text));

    private static void Report(TrafficLog log, TimeSpan killedFrom, TimeSpan killedTo)
    {
        var output = TestContext.Current.TestOutputHelper;
        if (output is null) return;
        var operations = log.Operations;
        output.WriteLine($"Steady traffic through HAProxy: {operations.Select(o => o.Caller).Distinct().Count()} callers, " +
                         $"{operations.Max(o => o.Attempts[^1].EndedAt).TotalSeconds:F1} s; mcp-server-1 and backend-1 killed (SIGKILL) at " +
                         $"{killedFrom.TotalSeconds:F1}-{killedTo.TotalSeconds:F1} s.");
        output.WriteLine(log.Figures());
        foreach (var failed in operations.Where(o => o.FailedAtLeastOnce))
            output.WriteLine($"  {failed.Caller} {failed.Kind}: {Describe(failed)}");
    }

    private static string Describe(Operation operation) => string.Join(" | ", operation.Attempts.Select(a =>
        $"{a.StartedAt.TotalSeconds:F2}+{a.Elapsed.TotalMilliseconds:F0}ms {a.Failure ?? "ok"}"));
}
