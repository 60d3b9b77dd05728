using System.Net;
using System.Text;
using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// The problems of the assistant endpoint and the WhatsApp webhook speak the request's language (Accept-Language,
/// as the rest of the API): English when asked, Spanish otherwise. The assistant's own "reply" keeps the language of
/// the person's message.
/// </summary>
public class ChannelProblemLanguageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Post(string path, string json, string? language, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        if (signature is not null) request.Headers.TryAddWithoutValidation(WhatsAppSignature.Header, signature);
        return request;
    }

    [Fact]
    public async Task Assistant_endpoint_problems_are_english_when_asked_and_spanish_by_default()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        const string empty = """{"customer_id":"empresa-abc-123","conversation_id":"c-1","text":"  "}""";

        var english = await client.SendAsync(Post("v1/assistant/messages", empty, "en-US,en;q=0.9"), Ct);
        var problem = await ProblemAsync(english, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid data", problem.GetProperty("title").GetString());
        Assert.Equal("text may not be empty.", problem.GetProperty("errors").GetProperty("text")[0].GetString());
        Assert.Equal("en", english.Content.Headers.ContentLanguage.Single());

        problem = await ProblemAsync(await client.SendAsync(Post("v1/assistant/messages", empty, null), Ct), HttpStatusCode.BadRequest);
        Assert.Equal("text no puede estar vacío.", problem.GetProperty("errors").GetProperty("text")[0].GetString());

        // The body is bound by the framework, which stops at the first value of the wrong kind (as for every request
        // record): that field is named alone; the mistakes in values that could be read are all named at once.
        problem = await ProblemAsync(await client.SendAsync(Post("v1/assistant/messages", """{"conversation_id":"c-1","text":5}""", "en"), Ct),
            HttpStatusCode.BadRequest);
        Assert.Equal("The field text must be text.", problem.GetProperty("errors").GetProperty("text")[0].GetString());
        problem = await ProblemAsync(await client.SendAsync(Post("v1/assistant/messages", """{"conversation_id":"","text":"hola"}""", "en"), Ct),
            HttpStatusCode.BadRequest);
        Assert.Equal("The field customer_id is missing.", problem.GetProperty("errors").GetProperty("customer_id")[0].GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("conversation_id", out _));

        // A channel message from someone who is not a trusted bridge.
        const string channel = """{"channel":"whatsapp","to":"+5491155550000","from":"+5491144440000","text":"hola"}""";
        problem = await ProblemAsync(await client.SendAsync(Post("v1/assistant/messages", channel, "en"), Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("Bridge not authenticated", problem.GetProperty("title").GetString());
        problem = await ProblemAsync(await client.SendAsync(Post("v1/assistant/messages", channel, "es"), Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("Puente no autenticado", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_unknown_number_is_described_in_the_requests_language_and_answered_in_the_persons()
    {
        await using var h = await ChannelHarness.StartAsync();
        await h.AddCompanyAsync();
        using var bridge = h.Server.CreateClient();
        bridge.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);

        var problem = await ProblemAsync(await bridge.SendAsync(Post("v1/assistant/messages",
            """{"channel":"whatsapp","to":"+14155550100","from":"+5491144440000","text":"Hola, quiero un turno"}""", "en"), Ct), HttpStatusCode.NotFound);
        Assert.Equal("Number without a company", problem.GetProperty("title").GetString());
        Assert.Equal("No company has the WhatsApp number +14155550100.", problem.GetProperty("detail").GetString());
        Assert.StartsWith("Lo siento", problem.GetProperty("reply").GetString()); // the person wrote in Spanish
    }

    [Fact]
    public async Task Too_many_messages_is_english_when_asked()
    {
        await using var h = await ChannelHarness.StartAsync(settings: new Dictionary<string, string?> { [AssistantChannelOptions.PerClientVariable] = "1" });
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        const string hello = """{"customer_id":"empresa-abc-123","conversation_id":"c-1","text":"hola"}""";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("v1/assistant/messages", hello, "en"), Ct)).StatusCode);

        var problem = await ProblemAsync(await client.SendAsync(Post("v1/assistant/messages", hello, "en"), Ct), HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many messages", problem.GetProperty("title").GetString());
        Assert.StartsWith("Too many messages were sent in a short time. Wait ", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Webhook_problems_are_english_when_asked_and_spanish_by_default()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var h = await ChannelHarness.StartAsync(settings: WhatsAppWebhookTests.WhatsAppSettings(graph));
        await h.AddCompanyAsync();
        using var client = h.Server.CreateClient();
        var notification = WhatsAppWebhookTests.Notification("5491155550000", WhatsAppWebhookTests.Text("wamid.lang", "hola"));

        var problem = await ProblemAsync(await client.SendAsync(Post("v1/whatsapp/webhook", notification, "en"), Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("Signature missing", problem.GetProperty("title").GetString());
        Assert.StartsWith($"The {WhatsAppSignature.Header} header is missing", problem.GetProperty("detail").GetString());
        problem = await ProblemAsync(await client.SendAsync(Post("v1/whatsapp/webhook", notification, null), Ct), HttpStatusCode.Unauthorized);
        Assert.Equal("Falta la firma", problem.GetProperty("title").GetString());

        problem = await ProblemAsync(await client.SendAsync(Post("v1/whatsapp/webhook", notification, "en", signature: "sha256=" + new string('0', 64)), Ct),
            HttpStatusCode.Forbidden);
        Assert.Equal("Invalid signature", problem.GetProperty("title").GetString());

        const string notWhatsApp = "[]";
        var signed = WhatsAppSignature.Sign(Encoding.UTF8.GetBytes(notWhatsApp), WhatsAppWebhookTests.AppSecret);
        problem = await ProblemAsync(await client.SendAsync(Post("v1/whatsapp/webhook", notWhatsApp, "en", signed), Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Invalid notification", problem.GetProperty("title").GetString());

        using var verify = new HttpRequestMessage(HttpMethod.Get, "v1/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1");
        verify.Headers.AcceptLanguage.ParseAdd("en");
        problem = await ProblemAsync(await client.SendAsync(verify, Ct), HttpStatusCode.Forbidden);
        Assert.Equal("Verification refused", problem.GetProperty("title").GetString());
        Assert.Empty(graph.Messages);
    }
}
