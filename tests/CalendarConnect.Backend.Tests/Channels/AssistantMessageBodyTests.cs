using System.Net;
using System.Text;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// POST /v1/assistant/messages as a request record bound by the framework: every way the body can be wrong is a
/// problem naming what is wrong (never a stack trace), and nothing reaches the assistant.
/// </summary>
public class AssistantMessageBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Path = "v1/assistant/messages";

    private static HttpRequestMessage Post(string json, string mediaType = "application/json") =>
        new(HttpMethod.Post, Path) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static TheoryData<string, string, string> FieldMistakes => new()
    {
        { """{"customer_id":"empresa-a","text":"hola","colour":"azul"}""", "colour", "Campo desconocido" },
        { """{"customer_id":"empresa-a","text":7}""", "text", "El campo text debe ser texto." },
        { """{"customer_id":["empresa-a"],"text":"hola"}""", "customer_id", "El campo customer_id debe ser texto." },
        { """{"customer_id":"empresa-a","text":"hola","text":"chau"}""", "text", "más de una vez" },
        { """{"customer_id":"empresa-a"}""", "text", "Falta el campo text." },
        { """{"text":"hola"}""", "customer_id", "Falta el campo customer_id." },
        { """{"customer_id":"empresa-a","text":"hola","conversation_id":""}""", "conversation_id", "" },
        { "[]", "body", "Envíe un objeto JSON." },
        { "null", "body", "Envíe un objeto JSON." },
    };

    [Theory]
    [MemberData(nameof(FieldMistakes))]
    public async Task A_mistaken_field_is_a_validation_problem_naming_it(string json, string field, string message)
    {
        await using var h = await ChannelHarness.StartAsync();
        using var client = h.Server.CreateClient();
        using var request = Post(json);
        var problem = await ProblemAsync(await client.SendAsync(request, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Datos inválidos", problem.GetProperty("title").GetString());
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.DoesNotContain("System.", problem.ToString());
        Assert.Empty(h.Calendar.Events);
    }

    [Fact]
    public async Task Malformed_empty_deep_oversized_and_non_json_bodies_are_problems()
    {
        await using var h = await ChannelHarness.StartAsync();
        using var client = h.Server.CreateClient();

        using (var malformed = Post("""{"customer_id":"empresa-a","text":"""))
            Assert.Equal("JSON inválido", (await ProblemAsync(await client.SendAsync(malformed, Ct), HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        var deep = new string('[', 100) + new string(']', 100);
        using (var tooDeep = Post("""{"customer_id":"empresa-a","text":""" + deep + "}"))
            await ProblemAsync(await client.SendAsync(tooDeep, Ct), HttpStatusCode.BadRequest); // too deep, or not text: either way refused
        using (var empty = Post(""))
            Assert.Equal("Cuerpo vacío", (await ProblemAsync(await client.SendAsync(empty, Ct), HttpStatusCode.BadRequest)).GetProperty("title").GetString());
        using (var text = Post("""{"customer_id":"empresa-a","text":"hola"}""", "text/plain"))
            await ProblemAsync(await client.SendAsync(text, Ct), HttpStatusCode.UnsupportedMediaType);
        // Announced with "Expect: 100-continue", as clients send a large body: the 413 comes before the body is sent.
        using (var huge = Post("""{"customer_id":"empresa-a","text":" """ + new string('x', 20_000) + "\"}"))
        {
            huge.Headers.ExpectContinue = true;
            Assert.Equal("Cuerpo demasiado grande", (await ProblemAsync(await client.SendAsync(huge, Ct), HttpStatusCode.RequestEntityTooLarge))
                .GetProperty("title").GetString());
        }
        Assert.Empty(h.Calendar.Events);
    }
}
