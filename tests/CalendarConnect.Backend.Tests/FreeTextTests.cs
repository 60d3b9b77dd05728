using System.Net;
using System.Text;
using System.Text.Json;
using CalendarConnect.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Bidirectional controls make text show in another order than it is stored ("\u202Egnp.exe" shows as "exe.png"):
/// every free-text field of the admin API refuses them with a 400 naming the field, and nothing is stored.
/// </summary>
public class FreeTextTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly char[] BidiControls =
        ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

    /// <summary>Each free-text field: the request that carries it, and the field its error names.</summary>
    private static readonly (string Field, Func<string, HttpRequestMessage> Request)[] Fields =
    [
        ("customer_name", text => new(HttpMethod.Post, "v1/customer-calendars/connect")
            { Content = BackendHarness.ConnectBody("empresa-b", "b@empresa-b.com", text) }),
        ("customer_name", text => new(HttpMethod.Patch, "v1/customer-calendars/empresa-a")
            { Content = new StringContent(JsonSerializer.Serialize(new { customer_name = text }), Encoding.UTF8, "application/merge-patch+json") }),
        ("label", text => new(HttpMethod.Post, "v1/customer-calendars/empresa-a/mcp-keys")
            { Content = BackendHarness.Json(JsonSerializer.Serialize(new { label = text })) }),
    ];

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Every_free_text_field_refuses_every_bidirectional_control(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();
        await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-a", "a@empresa-a.com", "Empresa A"), Ct));

        foreach (var (field, request) in Fields)
        {
            foreach (var control in BidiControls)
            {
                using var response = await client.SendAsync(request($"Cl\u00EDnica {control}gnp.exe"), Ct);
                var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
                var error = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
                Assert.Contains("U+202A", error);
            }
        }

        Assert.Equal(["Empresa A"], (await h.RowsAsync()).Select(r => r.CustomerName));
        Assert.DoesNotContain(h.Mcp!.Requests, r => r.PathAndQuery.Contains("mcp-keys", StringComparison.Ordinal));
    }
}
