using CalendarConnect.Shared;
using CalendarConnect.Testing;

namespace CalendarConnect.Backend.Tests;

/// <summary>The MCP server API contract against <see cref="StandInMcpServer"/>, the server the other backend tests stand on.</summary>
public sealed class StandInMcpServerApiContractTests(StandInMcpServerApiContractTests.Stage stage)
    : McpServerApiContractTests(stage), IClassFixture<StandInMcpServerApiContractTests.Stage>
{
    public sealed class Stage : IMcpServerStage, IAsyncLifetime
    {
        private StandInMcpServer server = null!;

        public Uri BaseAddress => server.BaseAddress;

        public string ApiKey => StandInMcpServer.ApiKey;

        public async ValueTask InitializeAsync() => server = await StandInMcpServer.StartAsync();

        /// <summary>The stand-in has no Google: a connection is its status, as the real server records it after the consent.</summary>
        public Task ConnectAsync(string customerId, string email)
        {
            server.SetStatus(customerId, ConnectionStatus.Connected, email);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}

/// <summary>
/// The MCP server API contract against the real MCP Calendar Server with the Google emulator (the in-process system
/// harness, started once for the class): the reference <see cref="StandInMcpServer"/> is held to.
/// </summary>
public sealed class RealMcpServerApiContractTests(RealMcpServerApiContractTests.Stage stage)
    : McpServerApiContractTests(stage), IClassFixture<RealMcpServerApiContractTests.Stage>
{
    public sealed class Stage : IMcpServerStage, IAsyncLifetime
    {
        private SystemHarness system = null!;

        public Uri BaseAddress => system.Mcp.BaseAddress;

        public string ApiKey => system.ApiKey;

        public async ValueTask InitializeAsync() => system = await SystemHarness.StartAsync();

        /// <summary>As an administrator connects a company: the backend's connect call, then "Permitir" on the emulated Google.</summary>
        public Task ConnectAsync(string customerId, string email) =>
            system.ConnectCompanyAsync(customerId, email, "Empresa " + customerId, "America/Argentina/Buenos_Aires");

        public ValueTask DisposeAsync() => system.DisposeAsync();
    }
}
