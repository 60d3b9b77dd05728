using System.Net;
using System.Text;
using System.Text.Json;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>Per-company MCP keys through the admin API: issue, list, revoke, and every way to get them wrong.</summary>
public class McpKeysTests(McpKeysTests.CompanyA companyA) : IClassFixture<McpKeysTests.CompanyA>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<BackendHarness> WithCompaniesAsync(string engine, params string[] ids)
    {
        var h = await BackendHarness.StartAsync(engine);
        await ConnectAsync(h, ids);
        return h;
    }

    private static async Task ConnectAsync(BackendHarness h, params string[] ids)
    {
        using var client = h.AdminClient();
        foreach (var id in ids)
            (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(id, $"contacto@{id}.com", id.ToUpperInvariant()), Ct)).EnsureSuccessStatusCode();
        h.Mcp!.Requests.Clear();
    }

    /// <summary>
    /// empresa-a in one backend per engine for the tests that send what must be refused, or ask for one key and look
    /// at nothing but that key; a test that lists or counts keys starts its own.
    /// </summary>
    public sealed class CompanyA : ClassBackends
    {
        protected override Task SeedAsync(BackendHarness harness) => ConnectAsync(harness, "empresa-a");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Issue_list_and_revoke_a_key(string engine)
    {
        await using var h = await WithCompaniesAsync(engine, "empresa-a");
        using var client = h.AdminClient();

        var response = await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json("""{"label":"  Recepción WhatsApp  "}"""), Ct);
        var created = await JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal(["api_key", "created_at", "customer_id", "key_id", "label"], PropertyNames(created));
        Assert.Equal("empresa-a", created.GetProperty("customer_id").GetString());
        Assert.Equal("Recepción WhatsApp", created.GetProperty("label").GetString());
        var keyId = created.GetProperty("key_id").GetString()!;
        var apiKey = created.GetProperty("api_key").GetString()!;
        Assert.StartsWith("mk_", keyId);
        Assert.Equal(h.Mcp!.IssuedApiKeys.Single(), apiKey);
        var sent = Assert.Single(h.Mcp.Requests);
        Assert.Equal(("POST", "/customers/empresa-a/mcp-keys", "Bearer " + StandInMcpServer.ApiKey), (sent.Method, sent.PathAndQuery, sent.Authorization));
        Assert.Equal("""{"label":"Recepción WhatsApp"}""", JsonSerializer.Serialize(JsonDocument.Parse(sent.Body).RootElement, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        // Without a body, or with {}, the key has no label.
        var second = await JsonAsync(await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", null, Ct), HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("label").ValueKind);
        await JsonAsync(await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json("{}"), Ct), HttpStatusCode.Created);

        var listResponse = await client.GetAsync("v1/customer-calendars/empresa-a/mcp-keys", Ct);
        var listBody = await listResponse.Content.ReadAsStringAsync(Ct);
        var list = await JsonAsync(listResponse);
        Assert.Equal(3, list.GetArrayLength());
        Assert.All(list.EnumerateArray(), k => Assert.Equal(["created_at", "key_id", "label", "last_used_at", "revoked_at"], PropertyNames(k)));
        Assert.All(h.Mcp.IssuedApiKeys, key => Assert.DoesNotContain(key, listBody)); // the key itself is shown only once

        var delete = await client.DeleteAsync($"v1/customer-calendars/empresa-a/mcp-keys/{keyId}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal("", await delete.Content.ReadAsStringAsync(Ct));
        var after = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-a/mcp-keys", Ct));
        var revoked = after.EnumerateArray().Single(k => k.GetProperty("key_id").GetString() == keyId);
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revoked_at").ValueKind);
        // Revoking again is done, as the real MCP server answers it (McpServerApiContractTests): a retry after a lost answer is safe.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"v1/customer-calendars/empresa-a/mcp-keys/{keyId}", Ct)).StatusCode);
        await ProblemAsync(await client.DeleteAsync("v1/customer-calendars/empresa-a/mcp-keys/mk_doesnotexist", Ct), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_key_of_company_a_cannot_be_seen_or_revoked_through_company_b(string engine)
    {
        await using var h = await WithCompaniesAsync(engine, "empresa-a", "empresa-b");
        using var client = h.AdminClient();
        var created = await JsonAsync(await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json("""{"label":"A"}"""), Ct), HttpStatusCode.Created);
        var keyId = created.GetProperty("key_id").GetString()!;

        var listB = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-b/mcp-keys", Ct));
        Assert.Equal(0, listB.GetArrayLength());
        var problem = await ProblemAsync(await client.DeleteAsync($"v1/customer-calendars/empresa-b/mcp-keys/{keyId}", Ct), HttpStatusCode.NotFound);
        Assert.DoesNotContain(created.GetProperty("api_key").GetString()!, problem.ToString());

        var listA = await JsonAsync(await client.GetAsync("v1/customer-calendars/empresa-a/mcp-keys", Ct));
        Assert.Equal(JsonValueKind.Null, Assert.Single(listA.EnumerateArray()).GetProperty("revoked_at").ValueKind);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Keys_of_an_unknown_company_are_404_and_the_mcp_server_is_not_asked(string engine)
    {
        var h = await companyA.ForAsync(engine);
        using var client = h.AdminClient();
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/nadie/mcp-keys", BackendHarness.Json("{}"), Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await client.GetAsync("v1/customer-calendars/nadie/mcp-keys", Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await client.DeleteAsync("v1/customer-calendars/nadie/mcp-keys/mk_abc", Ct), HttpStatusCode.NotFound);
        Assert.Empty(h.Mcp!.Requests);
    }

    public static IEnumerable<object[]> HostileCustomerIds => CustomerCalendarsApiTests.OddIds.Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(HostileCustomerIds))]
    public async Task Hostile_customer_ids_are_refused_on_every_key_endpoint(string id)
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        foreach (var response in new[]
                 {
                     await client.PostAsync($"v1/customer-calendars/{id}/mcp-keys", BackendHarness.Json("{}"), Ct),
                     await client.GetAsync($"v1/customer-calendars/{id}/mcp-keys", Ct),
                     await client.DeleteAsync($"v1/customer-calendars/{id}/mcp-keys/mk_abc", Ct),
                 })
        {
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{id}: {(int)response.StatusCode}");
            await ProblemAsync(response, response.StatusCode);
        }
        Assert.Empty(h.Mcp!.Requests);
    }

    [Theory]
    [InlineData("mk_")]
    [InlineData("mk")]
    [InlineData("abc")]
    [InlineData("MK_abc")]
    [InlineData("xx_abc")]
    [InlineData("mk_a.b")]
    [InlineData("mk_%3Cscript%3E")]
    [InlineData("mk_a'%20OR%20'1'='1")]
    [InlineData("mk_%C3%B1")]
    [InlineData("mk_a%2Fb")]
    [InlineData("mk_..%2F..%2Fcalendar")]
    [InlineData("mk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 65 after mk_
    public async Task Hostile_key_ids_are_refused(string keyId)
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var response = await client.DeleteAsync($"v1/customer-calendars/empresa-a/mcp-keys/{keyId}", Ct);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{keyId}: {(int)response.StatusCode}");
        var problem = await ProblemAsync(response, response.StatusCode);
        if (response.StatusCode == HttpStatusCode.BadRequest) Assert.True(problem.GetProperty("errors").TryGetProperty("key_id", out _));
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task The_longest_key_id_is_accepted()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var keyId = "mk_" + new string('a', 64);
        await ProblemAsync(await client.DeleteAsync($"v1/customer-calendars/empresa-a/mcp-keys/{keyId}", Ct), HttpStatusCode.NotFound);
        Assert.Single(h.Mcp!.Requests, r => r.PathAndQuery == $"/customers/empresa-a/mcp-keys/{keyId}");
    }

    public static TheoryData<string, string> BadLabelBodies => new()
    {
        { "{\"label\":\"" + new string('x', 101) + "\"}", "label" },
        { """{"label":123}""", "label" },
        { """{"label":true}""", "label" },
        { """{"label":["a"]}""", "label" },
        { """{"label":{"x":1}}""", "label" },
        { """{"label":"a\u0000b"}""", "label" },
        { """{"label":"line\nbreak"}""", "label" },
        { """{"label":"\ud800"}""", "label" },
        { """{"label":"a","label":"b"}""", "label" },
        { """{"label":"a","customer_id":"empresa-b"}""", "customer_id" },
        { """{"api_key":"mine"}""", "api_key" },
        { """["label"]""", "body" },
        { "\"label\"", "body" },
        { "null", "body" },
    };

    [Theory]
    [MemberData(nameof(BadLabelBodies))]
    public async Task Bad_label_bodies_are_a_400_problem_naming_the_field(string body, string field)
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json(body), Ct), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task The_longest_label_is_accepted()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        var label = new string('ñ', 100);
        var created = await JsonAsync(await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys",
            BackendHarness.Json(JsonSerializer.Serialize(new { label })), Ct), HttpStatusCode.Created);
        Assert.Equal(label, created.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Malformed_oversized_and_non_json_bodies_are_problems()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        const string url = "v1/customer-calendars/empresa-a/mcp-keys";
        foreach (var body in new[] { "{", "{\"label\": }", "{'label':'a'}", "not json", "{\"label\":\"a\",}" })
            await ProblemAsync(await client.PostAsync(url, BackendHarness.Json(body), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.PostAsync(url, BackendHarness.Json("{\"label\":" + new string('[', 100) + new string(']', 100) + "}"), Ct), HttpStatusCode.BadRequest);
        var huge = JsonSerializer.Serialize(new { label = new string('x', 1_000_000) });
        // "Expect: 100-continue", as clients send with a large body: the 413 comes before the body is sent. Without it
        // the server's answer and closed connection can cut the client's sending (a broken pipe, not an answer).
        using (var announced = new HttpRequestMessage(HttpMethod.Post, url) { Content = BackendHarness.Json(huge) })
        {
            announced.Headers.ExpectContinue = true;
            await ProblemAsync(await client.SendAsync(announced, Ct), HttpStatusCode.RequestEntityTooLarge);
        }
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        using (var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = chunked })
        {
            request.Headers.TransferEncodingChunked = true;
            request.Headers.ExpectContinue = true;
            await ProblemAsync(await client.SendAsync(request, Ct), HttpStatusCode.RequestEntityTooLarge);
        }
        await ProblemAsync(await client.PostAsync(url, new StringContent("""{"label":"a"}""", Encoding.UTF8, "text/plain"), Ct), HttpStatusCode.UnsupportedMediaType);
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task Key_endpoints_need_admin_sign_in_and_the_cookie_needs_the_antiforgery_header()
    {
        var h = await companyA.ForAsync();
        using var anonymous = h.Server.CreateClient();
        await ProblemAsync(await anonymous.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json("{}"), Ct), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.GetAsync("v1/customer-calendars/empresa-a/mcp-keys", Ct), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.DeleteAsync("v1/customer-calendars/empresa-a/mcp-keys/mk_abc", Ct), HttpStatusCode.Unauthorized);

        using var cookie = h.Server.CreateClient();
        await BackendHarness.SignInAsync(cookie);
        await ProblemAsync(await cookie.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json("{}"), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await cookie.DeleteAsync("v1/customer-calendars/empresa-a/mcp-keys/mk_abc", Ct), HttpStatusCode.BadRequest);
        await JsonAsync(await cookie.GetAsync("v1/customer-calendars/empresa-a/mcp-keys", Ct)); // reads need no token
        Assert.DoesNotContain(h.Mcp!.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task The_mcp_server_failing_is_a_502_problem_without_details()
    {
        var h = await companyA.ForAsync();
        using var client = h.AdminClient();
        h.Mcp!.FailWith = 500;
        foreach (var response in new[]
                 {
                     await client.PostAsync("v1/customer-calendars/empresa-a/mcp-keys", BackendHarness.Json("{}"), Ct),
                     await client.GetAsync("v1/customer-calendars/empresa-a/mcp-keys", Ct),
                     await client.DeleteAsync("v1/customer-calendars/empresa-a/mcp-keys/mk_abc", Ct),
                 })
            Assert.DoesNotContain("boom", (await ProblemAsync(response, HttpStatusCode.BadGateway)).ToString());
    }
}
