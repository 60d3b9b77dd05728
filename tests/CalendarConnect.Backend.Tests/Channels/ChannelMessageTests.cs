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

    [Fact]
    public async Task A_channel_message_is_routed_by_the_business_number_and_books_in_the_senders_conversation()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        await h.AddCompanyAsync("otra-empresa", "+5491166660000");
        using var client = h.Server.CreateClient();

        // The number as people write it and as WhatsApp writes it (digits only) reach the same company and conversation.
        var (status, body, _) = await ChannelHarness.PostAsync(client, Channel("Quiero reservar para mañana a las 3 PM", to: "+54 9 11 5555-0000", from: "+54 9 11 4444-0000"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("disponible", body.GetProperty("reply").GetString());
        Assert.Contains("nombre", (await ChannelHarness.PostAsync(client, Channel("Sí", to: "5491155550000", from: "5491144440000"))).Body.GetProperty("reply").GetString());
        Assert.StartsWith("Listo", (await ChannelHarness.PostAsync(client, Channel("Ana"))).Body.GetProperty("reply").GetString());

        Assert.Equal("Ana", Assert.Single(h.Calendar.Events.Values).Name);
        var stored = await h.StoredStateAsync(ChannelHarness.CustomerId, "whatsapp:+5491144440000");
        Assert.Single(ConversationStateJson.Deserialize(stored!).Booked);
        // The same conversation through the customer_id form (what the webhook also uses).
        Assert.Contains("16 de enero", await ChannelHarness.SayAsync(client, "whatsapp:+5491144440000", "¿Cuándo es mi turno?"));
        // The other company never saw it.
        Assert.Null(await h.StoredStateAsync("otra-empresa", "whatsapp:+5491144440000"));
    }

    [Fact]
    public async Task An_unknown_business_number_gets_404_with_a_polite_reply_in_the_persons_language()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();

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
        using var client = h.Server.CreateClient();
        var problem = await ProblemAsync(await client.PostAsync("v1/assistant/messages", BackendHarness.Json(json)), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(h.Calendar.Events);
    }

    [Fact]
    public async Task Text_longer_than_allowed_is_refused_whole()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
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
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await ChannelHarness.PostAsync(client, Channel("hola"))).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChannelHarness.PostAsync(client, Channel("hola"))).Status);

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

    [Theory]
    [InlineData(AssistantChannelOptions.PerClientVariable, "0")]
    [InlineData(AssistantChannelOptions.PerConversationVariable, "many")]
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
