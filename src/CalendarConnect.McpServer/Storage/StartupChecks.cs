using System.Data.Common;
using System.Net.Sockets;
using CalendarConnect.Infrastructure;
using CalendarConnect.McpServer.TokenVault;
using Dapper;
using Microsoft.Extensions.Options;
using CalendarConnect.McpServer.Configuration;

namespace CalendarConnect.McpServer.Storage;

/// <summary>
/// Before the server takes requests: apply the schema, and prove that TOKEN_ENCRYPTION_KEY can decrypt the rows
/// already stored. A wrong key stops start-up with a clear message instead of silently failing every customer.
/// </summary>
public sealed class StartupChecks(TokenDatabase database, Fernet fernet) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string? sample;
        try
        {
            await database.MigrateAsync(cancellationToken);
            await using var connection = await database.OpenAsync(cancellationToken);
            sample = await connection.QueryFirstOrDefaultAsync<string>("SELECT access_token FROM oauth_tokens ORDER BY updated_at DESC LIMIT 1");
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or TimeoutException or SocketException)
        {
            // As the backend reports CUSTOMER_DB: the variable, where (never the password) and the driver's one-line reason.
            throw new StartupException($"TOKEN_DB: cannot open or prepare the token database at '{database.Description}': {ex.Message.ReplaceLineEndings(" ")}");
        }
        if (sample is null) return;
        try
        {
            fernet.Decrypt(sample);
        }
        catch (FernetException)
        {
            throw new StartupException(
                $"TOKEN_ENCRYPTION_KEY cannot decrypt the tokens already stored in {database.Description}. Use the key they were written with " +
                "(or list it after the new one, comma-separated, to rotate).");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
