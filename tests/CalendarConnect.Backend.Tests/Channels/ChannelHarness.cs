using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// Backends (one, or several replicas on one database) whose assistant talks to a <see cref="FakeCalendar"/>,
/// with every log line captured. A backend can be stopped and a new one started on the same database (a restart).
/// </summary>
public sealed class ChannelHarness : IAsyncDisposable
{
    public const string CustomerId = "empresa-abc-123";
    public const string BusinessNumber = "+5491155550000";

    private readonly List<LoopbackServer> _servers = [];
    private readonly Dictionary<string, string?> _settings;

    private ChannelHarness(TestDatabase database, StandInMcpServer mcp, Dictionary<string, string?> settings)
    {
        Database = database;
        Mcp = mcp;
        _settings = settings;
    }

    public TestDatabase Database { get; }
    public StandInMcpServer Mcp { get; }
    public FakeCalendar Calendar { get; } = new();
    public CapturedLogs Logs { get; } = new();
    public LoopbackServer Server => _servers[^1];

    public static async Task<ChannelHarness> StartAsync(string engine = Engines.Sqlite, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(engine, "customers.db");
        var mcp = await StandInMcpServer.StartAsync();
        var all = BackendHarness.Settings(database.Location, mcp.BaseAddress.ToString());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var harness = new ChannelHarness(database, mcp, all) { _extraServices = services };
        await harness.StartBackendAsync();
        return harness;
    }

    private Action<IServiceCollection>? _extraServices;

    /// <summary>Another backend on the same database (a restart when the previous one was stopped, a replica otherwise).</summary>
    /// <param name="services">Registrations of this backend only (after the harness's own).</param>
    public async Task<LoopbackServer> StartBackendAsync(TimeProvider? clock = null, Action<IServiceCollection>? services = null)
    {
        var only = services;
        var server = await LoopbackServer.StartAsync((args, settings) => Program.BuildApp(args, settings, services =>
        {
            services.AddLogging(l => l.AddProvider(Logs));
            services.RemoveAll<ICalendarAdapter>();
            services.AddSingleton<ICalendarAdapter>(Calendar);
            if (clock is not null) services.AddSingleton(clock);
            _extraServices?.Invoke(services);
            only?.Invoke(services);
        }), _settings);
        _servers.Add(server);
        return server;
    }

    public async Task StopAsync(LoopbackServer server)
    {
        _servers.Remove(server);
        await server.DisposeAsync();
    }

    /// <summary>Registers the company (and its WhatsApp number) as the admin would.</summary>
    public async Task AddCompanyAsync(string customerId = CustomerId, string? whatsAppNumber = BusinessNumber)
    {
        var memory = Server.GetRequiredService<CustomerMemory>();
        await memory.UpsertAsync(customerId, $"contacto@{customerId}.example", "Empresa " + customerId);
        if (whatsAppNumber is not null) Assert.Equal(WhatsAppNumberResult.Saved, await memory.SetWhatsAppNumberAsync(customerId, whatsAppNumber));
    }

    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(
        HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("v1/assistant/messages", body);
        var text = await ResponseAssert.BodyAsync(response);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static async Task<string> SayAsync(HttpClient client, string conversationId, string text, string customerId = CustomerId)
    {
        var (status, body, _) = await PostAsync(client, new { customer_id = customerId, conversation_id = conversationId, text });
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status}: {body}");
        return body.GetProperty("reply").GetString()!;
    }

    /// <summary>The stored state JSON of a conversation, read straight from the database.</summary>
    public async Task<string?> StoredStateAsync(string customerId, string conversationId)
    {
        await using var connection = await Server.GetRequiredService<CustomerDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM assistant_conversations WHERE customer_id = @c AND conversation_id = @v";
        var c = command.CreateParameter(); c.ParameterName = "c"; c.Value = customerId; command.Parameters.Add(c);
        var v = command.CreateParameter(); v.ParameterName = "v"; v.Value = conversationId; command.Parameters.Add(v);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The lease on a conversation's row: its owner and until when (ISO 8601 text), read straight from the database.</summary>
    public async Task<(string? Owner, string? Until)> StoredLeaseAsync(string customerId, string conversationId)
    {
        await using var connection = await Server.GetRequiredService<CustomerDatabase>().OpenAsync();
        var row = await Dapper.SqlMapper.QuerySingleAsync(connection,
            "SELECT lease_owner, lease_until FROM assistant_conversations WHERE customer_id = @customerId AND conversation_id = @conversationId",
            new { customerId, conversationId });
        return ((string?)row.lease_owner, (string?)row.lease_until);
    }

    public async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await Server.GetRequiredService<CustomerDatabase>().OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql, parameters);
    }

    /// <summary>A WhatsApp message's row in the inbox (status, attempts), or null when it was never stored.</summary>
    public async Task<(string Status, long Attempts)?> InboxRowAsync(string messageId)
    {
        await using var connection = await Server.GetRequiredService<CustomerDatabase>().OpenAsync();
        var status = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
            "SELECT status FROM whatsapp_messages_received WHERE message_id = @messageId", new { messageId });
        if (status is null) return null;
        var attempts = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT attempts FROM whatsapp_messages_received WHERE message_id = @messageId", new { messageId });
        return (status, attempts);
    }

    /// <summary>Waits until the WhatsApp message was handled (done or failed): whatever it caused has happened by then.</summary>
    public async Task<(string Status, long Attempts)> WaitHandledAsync(string messageId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await InboxRowAsync(messageId) is { Status: not "pending" } row) return row;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"WhatsApp message {messageId} was not handled: {await InboxRowAsync(messageId)}");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
        await Mcp.DisposeAsync();
        for (var attempt = 1; ; attempt++)
        {
            try { await Database.DisposeAsync(); return; }
            catch (PostgresException) when (attempt < 5) { await Task.Delay(200 * attempt); }
        }
    }
}
