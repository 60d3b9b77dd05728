using System.Net.Http.Json;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Testing.CalendarContract;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>
/// The calendar contract against the real MCP Calendar Server with the Google emulator as Google, through the
/// assistant's real adapter: the reference the fakes of the other test projects are held to (they derive the same
/// suite). One server for the class; each test connects a company of its own, so no test sees another's bookings.
/// </summary>
public sealed class McpServerCalendarContractTests(McpServerCalendarContractTests.Server server)
    : McpCalendarContractTests, IClassFixture<McpServerCalendarContractTests.Server>
{
    protected override async Task<ICalendarStage> StartStageAsync()
    {
        var company = "contrato-" + Guid.NewGuid().ToString("N")[..12];
        var email = company + "@empresa.example";
        await server.Harness.ConnectAsync(company, email, Zone.Id);
        return new RealServerStage(server.Harness, company, email, McpCalendarClient.Create(server.Harness.Mcp.BaseAddress.ToString(), server.Harness.ApiKey));
    }

    /// <summary>The MCP server and the emulator, started once for the class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public McpServerHarness Harness { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Harness = await McpServerHarness.StartAsync();

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    private sealed class RealServerStage(McpServerHarness harness, string company, string email, McpCalendarClient client) : ICalendarStage
    {
        private static readonly LocalDateTimePattern GoogleLocal = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");

        public ICalendarAdapter Adapter => client.Adapter;

        public string ConnectedCompany => company;

        public string NeverConnectedCompany { get; } = "nunca-" + Guid.NewGuid().ToString("N")[..12];

        public Task AddEventAsync(LocalDateTime start, LocalDateTime end) => harness.AddEventAsync(email, new
        {
            summary = "Ocupado",
            start = new { dateTime = GoogleLocal.Format(start), timeZone = Zone.Id },
            end = new { dateTime = GoogleLocal.Format(end), timeZone = Zone.Id },
        });

        /// <summary>
        /// Google answers the next Calendar API request with an error that is not worth retrying (400), so exactly that
        /// one request fails and the fault is used up within the test.
        /// </summary>
        public async Task BreakGoogleAsync()
        {
            using var control = harness.Emulator.CreateClient();
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3", status = 400, count = 1 })).EnsureSuccessStatusCode();
        }

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
