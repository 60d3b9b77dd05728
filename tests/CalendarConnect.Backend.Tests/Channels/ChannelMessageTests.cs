using System.Net;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Backend.Assistant;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// POST /v1/assistant/messages with a channel message {"channel":"whatsapp","to","from","text"}: routed by the
/// company's WhatsApp number, the conversation is the sender's number; and the rate limits of the assistant.
/// </summary>
public class ChannelMessageTests
{
    private static object Channel(string text, string to = ChannelHarness.BusinessNumber, string from = "+5491144440000") =>
        new { channel = "whatsapp", to, from, text };

    /// <summary>A messaging bridge: it vouches for who the person is, so it authenticates (HTTP Basic, as automation does).</summary>
    private static HttpClient Bridge(ChannelHarness h)
    {
        var client = h.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
        return client;
    }

    [Fact]
    public async Task A_channel_message_is_routed_by_the_business_number_and_books_in_the_senders_conversation()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        await h.AddCompanyAsync("otra-empresa", "+5491166660000");
        using var client = Bridge(h);

        // The number as people write it and as WhatsApp writes it (digits only) reach the same company and conversation.
        var (status, body, _) = await ChannelHarness.PostAsync(client, Channel("Quiero reservar para mañana a las 3 PM", to: "+54 9 11 5555-0000", from: "+54 9 11 4444-0000"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("disponible", body.GetProperty("reply").GetString());
        Assert.Contains("nombre", (await ChannelHarness.PostAsync(client, Channel("Sí", to: "5491155550000", from: "5491144440000"))).Body.GetProperty("reply").GetString());
        Assert.StartsWith("Listo", (await ChannelHarness.PostAsync(client, Channel("Ana"))).Body.GetProperty("reply").GetString());

        Assert.Equal("Ana", Assert.Single(h.Calendar.Events.Values).Name);
        var stored = await h.StoredStateAsync(ChannelHarness.CustomerId, "channel:whatsapp:+5491144440000");
        Assert.Single(ConversationStateJson.Deserialize(stored!).Booked);
        Assert.Contains("16 de enero", (await ChannelHarness.PostAsync(client, Channel("¿Cuándo es mi turno?"))).Body.GetProperty("reply").GetString());
        // The other company never saw it.
        Assert.Null(await h.StoredStateAsync("otra-empresa", "channel:whatsapp:+5491144440000"));

        // An anonymous caller cannot reach that person's conversation through the customer_id form...
        using var anonymous = h.Server.CreateClient();
        var (status2, problem, _) = await ChannelHarness.PostAsync(anonymous,
            new { customer_id = ChannelHarness.CustomerId, conversation_id = "channel:whatsapp:+5491144440000", text = "Quiero cancelar mi turno" });
        Assert.Equal(HttpStatusCode.BadRequest, status2);
        Assert.True(problem.GetProperty("errors").TryGetProperty("conversation_id", out _));
        // ...and a look-alike id is a conversation of its own, with nothing booked.
        Assert.Contains("No tengo ningún turno", await ChannelHarness.SayAsync(anonymous, "whatsapp:+5491144440000", "¿Cuándo es mi turno?"));
        Assert.Single(h.Calendar.Events);
    }

    [Fact]
    public async Task An_unknown_business_number_gets_404_with_a_polite_reply_in_the_persons_language()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = Bridge(h);

        var response = await client.PostAsync("v1/assistant/messages", BackendHarness.Json("""{"channel":"whatsapp","to":"+14155550100","from":"+5491144440000","text":"Hola, quiero un turno"}"""));
        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("+14155550100", problem.GetProperty("detail").GetString());
        Assert.StartsWith("Lo siento", problem.GetProperty("reply").GetString());

        response = await client.PostAsync("v1/assistant/messages", BackendHarness.Json("""{"channel":"whatsapp","to":"+14155550100","from":"+5491144440000","text":"Hi, I'd like to book tomorrow"}"""));
        problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.StartsWith("Sorry", problem.GetProperty("reply").GetString());
        Assert.Equal("en", problem.GetProperty("language").GetString());
        Assert.Empty(h.Calendar.Events);
    }

    [Fact]
    public async Task An_unknown_customer_id_is_answered_exactly_like_a_company_without_a_calendar()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        await h.AddCompanyAsync("empresa-sin-calendario", whatsAppNumber: null);
        // As the MCP server: only a company that connected has a calendar; a registered one that did not and an id
        // nobody registered are alike to it.
        h.Calendar.IsConnected = id => id == ChannelHarness.CustomerId;
        using var client = h.Server.CreateClient();

        foreach (var text in new[] { "hola", "Quiero reservar para mañana a las 3 PM", "Sí", "¿Cuándo es mi turno?" })
        {
            var known = await PostAsTextAsync(client, "empresa-sin-calendario", text);
            var unknown = await PostAsTextAsync(client, "empresa-que-no-existe", text);

            Assert.Equal(HttpStatusCode.OK, known.Status);
            Assert.Equal(known.Status, unknown.Status);
            Assert.Equal(known.Body, unknown.Body);
            Assert.Equal(known.Headers, unknown.Headers);
        }
        Assert.Contains("todavía no está conectada", (await PostAsTextAsync(client, "otra-que-no-existe", "Quiero reservar para mañana a las 3 PM")).Body);
        Assert.Empty(h.Calendar.Events);
    }

    /// <summary>Status, body and headers (but Date) of a message in conversation "c-probe" of <paramref name="customerId"/>.</summary>
    private static async Task<(HttpStatusCode Status, string Body, string Headers)> PostAsTextAsync(HttpClient client, string customerId, string text)
    {
        using var response = await client.PostAsync("v1/assistant/messages", System.Net.Http.Json.JsonContent.Create(new { customer_id = customerId, conversation_id = "c-probe", text }));
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => h.Key + ": " + string.Join(",", h.Value))
            .Order(StringComparer.Ordinal));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }

    [Theory]
    [InlineData("""{"channel":"telegram","to":"+5491155550000","from":"+5491144440000","text":"hola"}""", "channel")]
    [InlineData("""{"channel":"whatsapp","from":"+5491144440000","text":"hola"}""", "to")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","text":"hola"}""", "from")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","from":"+5491144440000"}""", "text")]
    [InlineData("""{"channel":"whatsapp","to":"11 5555-0000","from":"+5491144440000","text":"hola"}""", "to")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","from":"<script>","text":"hola"}""", "from")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","from":"+549114444000000000000000000000000000000000000","text":"hola"}""", "from")]
    [InlineData("""{"channel":"whatsapp","to":5491155550000,"from":"+5491144440000","text":"hola"}""", "to")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","from":"+5491144440000","text":"   "}""", "text")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","from":"+5491144440000","text":"hola","customer_id":"empresa-abc-123"}""", "channel")]
    [InlineData("""{"channel":"whatsapp","to":"+5491155550000","from":"+5491144440000","text":"hola","conversation_id":"x"}""", "channel")]
    [InlineData("""{"customer_id":"empresa-abc-123","to":"+5491155550000","text":"hola"}""", "channel")]
    [InlineData("""{"channel":null,"to":"+5491155550000","from":"+5491144440000","text":"hola"}""", "customer_id")]
    public async Task Bad_channel_messages_are_validation_problems_naming_the_field(string json, string field)
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = Bridge(h);
        var problem = await ProblemAsync(await client.PostAsync("v1/assistant/messages", BackendHarness.Json(json)), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(h.Calendar.Events);
    }

    [Fact]
    public async Task A_channel_message_without_the_bridges_credentials_is_refused_before_anything_is_looked_up()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        // Anyone knowing a person's number could otherwise read and cancel their bookings.
        var attempts = new List<HttpClient> { h.Server.CreateClient() };
        var wrong = h.Server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, "not the password");
        attempts.Add(wrong);
        var signedIn = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = h.Server.BaseAddress };
        await BackendHarness.SignInAsync(signedIn); // a browser's cookie is not a bridge
        attempts.Add(signedIn);
        var otherScheme = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = h.Server.BaseAddress };
        await BackendHarness.SignInAsync(otherScheme); // nor is a cookie with an Authorization header of another scheme
        otherScheme.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Digest", "x");
        attempts.Add(otherScheme);

        foreach (var client in attempts)
        {
            using (client)
            {
                foreach (var to in new[] { ChannelHarness.BusinessNumber, "+14155550100" }) // registered or not: the same answer
                {
                    var response = await client.PostAsync("v1/assistant/messages", BackendHarness.Json(
                        $$"""{"channel":"whatsapp","to":"{{to}}","from":"+5491144440000","text":"Quiero reservar para mañana a las 3 PM"}"""));
                    var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
                    Assert.Contains("Authorization", problem.GetProperty("detail").GetString());
                }
            }
        }
        Assert.Null(await h.StoredStateAsync(ChannelHarness.CustomerId, "channel:whatsapp:+5491144440000"));
        Assert.Empty(h.Calendar.Events);
    }

    [Fact]
    public async Task A_bridge_may_authenticate_with_an_ADMIN_API_KEY_bearer()
    {
        var key = new string('k', 40);
        await using var h = await ChannelHarness.StartAsync(settings: new Dictionary<string, string?> { ["ADMIN_API_KEY"] = key });
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        var (status, body, _) = await ChannelHarness.PostAsync(client, Channel("Quiero reservar para mañana a las 3 PM"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("disponible", body.GetProperty("reply").GetString());
    }

    [Fact]
    public async Task Callers_without_a_conversation_id_each_get_a_conversation_of_their_own_and_continue_it_with_the_issued_id()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var a = h.Server.CreateClient();
        using var b = h.Server.CreateClient();

        var (status, first, _) = await ChannelHarness.PostAsync(a, new { customer_id = ChannelHarness.CustomerId, text = "Quiero reservar para mañana a las 3 PM" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("disponible", first.GetProperty("reply").GetString());
        var issued = first.GetProperty("conversation_id").GetString()!;
        Assert.Matches("^web-[A-Za-z0-9_-]{22}$", issued); // 128 random bits, base64url
        Assert.NotNull(await h.StoredStateAsync(ChannelHarness.CustomerId, issued));
        Assert.Null(await h.StoredStateAsync(ChannelHarness.CustomerId, ""));

        // B, also without an id, is not in A's conversation: its "sí" confirms nothing.
        var (_, other, _) = await ChannelHarness.PostAsync(b, new { customer_id = ChannelHarness.CustomerId, text = "Sí" });
        Assert.DoesNotContain("nombre", other.GetProperty("reply").GetString());
        Assert.NotEqual(issued, other.GetProperty("conversation_id").GetString());

        // A continues its conversation with the issued id, which comes back unchanged.
        var (_, yes, _) = await ChannelHarness.PostAsync(a, new { customer_id = ChannelHarness.CustomerId, conversation_id = issued, text = "Sí" });
        Assert.Contains("nombre", yes.GetProperty("reply").GetString());
        Assert.Equal(issued, yes.GetProperty("conversation_id").GetString());
        Assert.StartsWith("Listo", await ChannelHarness.SayAsync(a, issued, "Ana"));
        Assert.Equal("Ana", Assert.Single(h.Calendar.Events.Values).Name);

        // An explicit empty id is a mistake, not a request for the shared conversation.
        var (emptyStatus, problem, _) = await ChannelHarness.PostAsync(b, new { customer_id = ChannelHarness.CustomerId, conversation_id = "", text = "hola" });
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.True(problem.GetProperty("errors").TryGetProperty("conversation_id", out _));

        // A channel message's conversation is the person's: no conversation_id is handed out.
        using var bridge = Bridge(h);
        var (_, channel, _) = await ChannelHarness.PostAsync(bridge, Channel("hola"));
        Assert.False(channel.TryGetProperty("conversation_id", out _));
    }

    [Fact]
    public async Task The_openapi_document_gives_the_assistants_answer_with_its_conversation_id()
    {
        await using var h = await ChannelHarness.StartAsync();
        using var client = h.Server.CreateClient();
        var doc = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var post = doc.GetProperty("paths").GetProperty("/v1/assistant/messages").GetProperty("post");
        var reference = post.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]);
        Assert.True(schema.GetProperty("properties").TryGetProperty("conversation_id", out _));
        Assert.True(schema.GetProperty("properties").TryGetProperty("reply", out _));
        Assert.Contains("Omit conversation_id", post.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Text_longer_than_allowed_is_refused_whole()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = Bridge(h);
        var (status, body, _) = await ChannelHarness.PostAsync(client, Channel(new string('a', AssistantEndpoints.MaxTextLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("text", out _));
    }

    [Fact]
    public async Task Too_many_messages_in_one_conversation_get_429_with_retry_after_and_other_conversations_go_on()
    {
        await using var h = await ChannelHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            [AssistantChannelOptions.PerConversationVariable] = "3",
        });
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        for (var i = 0; i < 3; i++) await ChannelHarness.SayAsync(client, "c-flood", "hola");

        var response = await client.PostAsync("v1/assistant/messages", BackendHarness.Json("""{"customer_id":"empresa-abc-123","conversation_id":"c-flood","text":"hola"}"""));
        var problem = await ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Contains("segundo", problem.GetProperty("detail").GetString());
        // The channel form of the same limit: its conversation is the sender's number.
        using var bridge = Bridge(h);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await ChannelHarness.PostAsync(bridge, Channel("hola"))).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChannelHarness.PostAsync(bridge, Channel("hola"))).Status);

        await ChannelHarness.SayAsync(client, "c-calm", "hola");
    }

    [Fact]
    public async Task Too_many_messages_from_one_client_get_429_before_anything_is_read()
    {
        await using var h = await ChannelHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            [AssistantChannelOptions.PerClientVariable] = "4",
        });
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        for (var i = 0; i < 4; i++) await ChannelHarness.SayAsync(client, "c-" + i, "hola");
        var response = await client.PostAsync("v1/assistant/messages", BackendHarness.Json("""{"customer_id":"empresa-abc-123","conversation_id":"c-9","text":"hola"}"""));
        await ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Null(await h.StoredStateAsync(ChannelHarness.CustomerId, "c-9"));
        // Only the assistant is limited: the rest of the API is not.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).StatusCode);
    }

    [Fact]
    public async Task Too_many_messages_to_one_company_get_429_whatever_the_conversation_and_other_companies_go_on()
    {
        await using var h = await ChannelHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            [AssistantChannelOptions.PerCompanyVariable] = "3",
        });
        await h.AddCompanyAsync();
        await h.AddCompanyAsync("otra-empresa", "+5491166660000");
        using var client = h.Server.CreateClient();
        // New conversations (made up, or issued for the asking) do not dodge it.
        await ChannelHarness.SayAsync(client, "c-1", "hola");
        await ChannelHarness.SayAsync(client, "c-2", "hola");
        Assert.Equal(HttpStatusCode.OK, (await ChannelHarness.PostAsync(client, new { customer_id = ChannelHarness.CustomerId, text = "hola" })).Status);
        var (status, problem, response) = await ChannelHarness.PostAsync(client, new { customer_id = ChannelHarness.CustomerId, text = "hola" });
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Contains("segundo", problem.GetProperty("detail").GetString());
        // Channel messages to that company count too.
        using var bridge = Bridge(h);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChannelHarness.PostAsync(bridge, Channel("hola"))).Status);

        await ChannelHarness.SayAsync(client, "c-1", "hola", customerId: "otra-empresa");
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ee:dd:cc", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void The_per_client_limit_counts_an_IPv4_address_by_itself_and_an_IPv6_one_by_its_64(string address, string key) =>
        Assert.Equal(key, AssistantRateLimits.ClientKey(IPAddress.Parse(address)));

    [Fact]
    public void A_client_without_an_address_is_one_partition() => Assert.Equal("unknown", AssistantRateLimits.ClientKey(null));

    [Theory]
    [InlineData(AssistantChannelOptions.PerClientVariable, "0")]
    [InlineData(AssistantChannelOptions.PerConversationVariable, "many")]
    [InlineData(AssistantChannelOptions.PerCompanyVariable, "1000001")]
    [InlineData(AssistantChannelOptions.RetentionVariable, "-5")]
    public async Task A_bad_limit_stops_the_start_with_one_line_naming_the_variable(string variable, string value)
    {
        var settings = BackendHarness.Settings(Path.Combine(BackendHarness.NewTempFolder(), "c.db"), "http://127.0.0.1:9");
        settings[variable] = value;
        settings["urls"] = "http://127.0.0.1:0";
        await using var app = Program.BuildApp([], settings);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken));
        var options = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(failure);
        Assert.StartsWith(variable + " must be", Assert.Single(options.Failures));
    }
}
