using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Testing;

namespace CalendarConnect.Benchmark.Google;

/// <summary>A client company of the benchmark and its Google account in the emulator.</summary>
public sealed record Company(string CustomerId, string Email, string Name);

/// <summary>
/// Connects companies through the real flow, as an admin and the company's person would: the authorization URL (from
/// the MCP server's POST /oauth/authorize, or the backend's POST /v1/customer-calendars/connect), the emulator's
/// consent page answered with "Permitir", and Google's redirect delivered to the MCP server's /oauth/callback.
/// </summary>
public static class Companies
{
    public static Company Numbered(string prefix, int number) =>
        new($"{prefix}-{number:00000}", $"{prefix}-{number:00000}@benchmark.example.com", $"Empresa {prefix} {number:00000}");

    /// <summary>Creates the companies' Google accounts and connects each to every one of <paramref name="servers"/>, a few at once.</summary>
    public static async Task ConnectAllAsync(IReadOnlyList<Company> companies, EmulatorInstance emulator, IReadOnlyList<McpServerInstance> servers,
        int parallelism = 8)
    {
        using var http = NoRedirects();
        await Parallel.ForEachAsync(companies, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (company, _) =>
        {
            await emulator.Control.CreateAccountAsync(company.Email, Stack.TimeZone);
            foreach (var server in servers)
            {
                var url = await AuthorizeAsync(http, server, company);
                await ConsentAndCallbackAsync(http, url, company.Email, server);
            }
        });
    }

    /// <summary>POST /oauth/authorize on the MCP server with the service key: the company's authorization URL.</summary>
    public static async Task<string> AuthorizeAsync(HttpClient http, McpServerInstance server, Company company)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Process.Url("oauth/authorize"))
        {
            Content = JsonContent.Create(new { customer_id = company.CustomerId, customer_email = company.Email }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /oauth/authorize for {company.CustomerId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("authorization_url").GetString()!;
    }

    /// <summary>The person allows access on the consent page; Google's redirect goes to the MCP server's callback.</summary>
    public static async Task ConsentAndCallbackAsync(HttpClient http, string authorizationUrl, string email, McpServerInstance server)
    {
        var redirect = await GoogleConsent.DecideAsync(authorizationUrl, email, allow: true, http);
        using var callback = await http.GetAsync(server.Process.Url("oauth/callback" + redirect.Query));
        if (callback.StatusCode != HttpStatusCode.Redirect && callback.StatusCode != HttpStatusCode.Found)
            throw new InvalidOperationException($"/oauth/callback for {email} answered {(int)callback.StatusCode}: {await callback.Content.ReadAsStringAsync()}");
    }

    public static HttpClient NoRedirects() => new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };
}
