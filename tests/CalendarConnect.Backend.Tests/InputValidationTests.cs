using CalendarConnect.Testing;
using System.Net;
using System.Text;
using System.Text.Json;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Every way the connect body can be wrong gets a 4xx problem, nothing is stored, the MCP server is not asked. The refused
/// requests share one backend per engine (<see cref="ClassBackends"/>): each checks that nothing was stored, so a request
/// wrongly accepted fails its own case and every later one.
/// </summary>
public class InputValidationTests(ClassBackends backends) : IClassFixture<ClassBackends>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> BadBodies => new()
    {
        // body, the field the errors must name
        { """{"customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"a","customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"a@b.com"}""", "customer_name" },
        { """{}""", "customer_id" },
        { """{"customer_id":123,"customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":null,"customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"a","customer_email":["a@b.com"],"customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":{"x":1}}""", "customer_name" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":true}""", "customer_name" },
        { """{"customer_id":"","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"-abc","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"a b","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"a/b","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"abc\n","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"x'; DROP TABLE customer_memory; --","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"<script>","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """{"customer_id":"ñandú","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { "{\"customer_id\":\"" + new string('a', 65) + "\",\"customer_email\":\"a@b.com\",\"customer_name\":\"A\"}", "customer_id" },
        { """{"customer_id":"a","customer_email":"","customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"not-an-email","customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"a@b","customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"a b@c.com","customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"<img src=x>@c.com","customer_name":"A"}""", "customer_email" },
        { """{"customer_id":"a","customer_email":"Ana <a@b.com>","customer_name":"A"}""", "customer_email" },
        { "{\"customer_id\":\"a\",\"customer_email\":\"" + new string('a', 250) + "@b.com\",\"customer_name\":\"A\"}", "customer_email" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":""}""", "customer_name" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":"   "}""", "customer_name" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":"A\u0000B"}""", "customer_name" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":"line\nbreak"}""", "customer_name" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":"\ud800"}""", "customer_name" },
        { "{\"customer_id\":\"a\",\"customer_email\":\"a@b.com\",\"customer_name\":\"" + new string('n', 201) + "\"}", "customer_name" },
        { """{"customer_id":"a","customer_email":"a@b.com","customer_name":"A","extra":1}""", "extra" },
        { """{"customer_id":"a","customer_id":"b","customer_email":"a@b.com","customer_name":"A"}""", "customer_id" },
        { """[{"customer_id":"a","customer_email":"a@b.com","customer_name":"A"}]""", "body" },
        { "\"just a string\"", "body" },
    };

    public static IEnumerable<object[]> BadBodiesOnBothEngines =>
        from engine in new[] { Engines.Sqlite, Engines.PostgreSql }
        from row in BadBodies
        select new object[] { engine, row.Data.Item1, row.Data.Item2 };

    [Theory]
    [MemberData(nameof(BadBodiesOnBothEngines))]
    public async Task Bad_fields_are_a_400_problem_naming_the_field(string engine, string body, string field)
    {
        var h = await backends.ForAsync(engine);
        using var client = h.AdminClient();

        var problem = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(body), Ct), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors should name {field}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Empty(await h.RowsAsync());
        Assert.Empty(h.Mcp!.Requests);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"customer_id\": }")]
    [InlineData("{'customer_id':'a'}")]
    [InlineData("not json at all")]
    [InlineData("{\"customer_id\":\"a\",}")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        var h = await backends.ForAsync(Engines.Sqlite);
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(body), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.GetProperty("title").GetString());
        Assert.Empty(await h.RowsAsync());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Invalid_utf8_is_a_400_problem(string engine)
    {
        var h = await backends.ForAsync(engine);
        using var client = h.AdminClient();
        var bytes = Encoding.UTF8.GetBytes("""{"customer_id":"a","customer_email":"a@b.com","customer_name":"X"}""");
        bytes[^3] = 0xFF;
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", content, Ct), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_empty_body_is_a_400_problem(string engine)
    {
        var h = await backends.ForAsync(engine);
        using var client = h.AdminClient();
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(""), Ct), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_body_that_is_not_json_is_a_415_problem(string engine)
    {
        var h = await backends.ForAsync(engine);
        using var client = h.AdminClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["customer_id"] = "a" });
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", form, Ct), HttpStatusCode.UnsupportedMediaType);
        var text = new StringContent("""{"customer_id":"a","customer_email":"a@b.com","customer_name":"A"}""", Encoding.UTF8, "text/plain");
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", text, Ct), HttpStatusCode.UnsupportedMediaType);
        Assert.Empty(await h.RowsAsync());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_oversized_body_is_a_413_problem(string engine)
    {
        var h = await backends.ForAsync(engine);
        using var client = h.AdminClient();
        var huge = JsonSerializer.Serialize(new { customer_id = "a", customer_email = "a@b.com", customer_name = new string('x', 1_000_000) });
        // Announced with Expect: 100-continue, so the 413 comes before the 1 MB is sent: otherwise the server's answer and
        // closed connection can cut the client's sending (a broken pipe, not an answer).
        using (var announced = new HttpRequestMessage(HttpMethod.Post, "v1/customer-calendars/connect") { Content = BackendHarness.Json(huge) })
        {
            announced.Headers.ExpectContinue = true;
            await ProblemAsync(await client.SendAsync(announced, Ct), HttpStatusCode.RequestEntityTooLarge);
        }

        // Without Content-Length (chunked) too.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/customer-calendars/connect") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.ExpectContinue = true;
        await ProblemAsync(await client.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await h.RowsAsync());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Deeply_nested_json_is_a_400_problem(string engine)
    {
        var h = await backends.ForAsync(engine);
        using var client = h.AdminClient();
        var nested = "{\"customer_id\":" + new string('[', 100) + new string(']', 100) + "}";
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(nested), Ct), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Sql_and_html_metacharacters_in_name_and_email_are_stored_and_returned_verbatim(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        const string name = "O'Brien \"&\" <img src=x onerror=alert(1)> '); DROP TABLE customer_memory; --";
        const string email = "o'brien+test@empresa-abc.com";

        var json = await JsonAsync(await client.PostAsync("v1/customer-calendars/connect",
            BackendHarness.ConnectBody("obrien.co_1", email, name), Ct));

        Assert.Equal(name, json.GetProperty("customer_name").GetString());
        Assert.Equal(email, json.GetProperty("customer_email").GetString());
        var row = Assert.Single(await h.RowsAsync());
        Assert.Equal((name, email), (row.CustomerName, row.CustomerEmail));
        var list = await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        Assert.Equal(name, Assert.Single(list.EnumerateArray()).GetProperty("customer_name").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Longest_valid_values_and_surrounding_spaces_are_accepted(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        var id = "A" + new string('b', 62) + "9";
        var name = "  " + new string('ñ', 200) + "  ";
        var email = new string('a', 64) + "@" + new string('d', 60) + ".com";

        var json = await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(id, " " + email + " ", name), Ct));

        Assert.Equal(id.ToLowerInvariant(), json.GetProperty("customer_id").GetString()); // ids are case-insensitive, answered lower-case
        Assert.Equal(email, json.GetProperty("customer_email").GetString());
        Assert.Equal(name.Trim(), json.GetProperty("customer_name").GetString());
    }
}
