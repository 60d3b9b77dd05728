using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;
using Dapper;

namespace CalendarConnect.McpServer.Tests.TokenVault;

/// <summary>rotate-keys: every row ends under the first key; interrupted runs lose nothing and can be re-run.</summary>
public class KeyRotationTests
{
    private static FernetKey Parse(string key)
    {
        Assert.True(FernetKey.TryParse(key, out var parsed));
        return parsed;
    }

    private static async Task<TokenDatabase> SeedAsync(TestDatabase db, string key, int rows)
    {
        var database = new TokenDatabase(db.Location);
        await database.MigrateAsync();
        var store = new TokenStore(database, new Fernet([Parse(key)], TimeProvider.System), TimeProvider.System);
        for (var i = 0; i < rows; i++)
            await store.SaveGrantAsync($"company-{i:000}", $"ya29.access-{i}", $"1//refresh-{i}", DateTimeOffset.UtcNow.AddHours(1), $"c{i}@example.com",
                $"c{i}@example.com", "Europe/Madrid", CancellationToken.None);
        return database;
    }

    private static async Task<List<(string Access, string? Refresh)>> RowsAsync(TokenDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(string, string?)>("SELECT access_token, refresh_token FROM oauth_tokens ORDER BY customer_id")).ToList();
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Every_row_ends_under_the_new_key_even_after_an_interruption(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine, "tokens.db");
        string oldKey = FernetKey.Generate(), newKey = FernetKey.Generate();
        await using var database = await SeedAsync(db, oldKey, 150);
        var settings = new Dictionary<string, string?> { ["TOKEN_ENCRYPTION_KEY"] = $"{newKey},{oldKey}", ["TOKEN_DB"] = db.Location };

        // First run: stopped (as by Ctrl+C) when the progress reaches 100 rows.
        using var stop = new CancellationTokenSource();
        var output = new StopAtWriter("100/", stop);
        Assert.Equal(130, await Program.RotateKeysAsync([], settings, output, stop.Token));
        Assert.Contains("Nothing was lost", output.Text);
        var newOnly = new Fernet([Parse(newKey)], TimeProvider.System);
        var both = new Fernet([Parse(newKey), Parse(oldKey)], TimeProvider.System);
        var halfway = await RowsAsync(database);
        Assert.Equal(150, halfway.Count);
        Assert.InRange(halfway.Count(r => newOnly.IsUnderCurrentKey(r.Access)), 100, 101);
        for (var i = 0; i < halfway.Count; i++) Assert.Equal($"ya29.access-{i}", both.DecryptToString(halfway[i].Access));

        // Second run finishes.
        var second = new StringWriter();
        Assert.Equal(0, await Program.RotateKeysAsync([], settings, second));
        Assert.Contains("already under the current key", second.ToString());
        var after = await RowsAsync(database);
        for (var i = 0; i < after.Count; i++)
        {
            Assert.Equal($"ya29.access-{i}", newOnly.DecryptToString(after[i].Access));
            Assert.Equal($"1//refresh-{i}", newOnly.DecryptToString(after[i].Refresh!));
        }
    }

    [Fact]
    public async Task Rows_no_key_can_read_are_reported_and_left_alone()
    {
        await using var db = await TestDatabase.CreateAsync(Engines.Sqlite, "tokens.db");
        var lostKey = FernetKey.Generate();
        await using var database = await SeedAsync(db, lostKey, 1);
        var before = await RowsAsync(database);
        var output = new StringWriter();
        var code = await Program.RotateKeysAsync([], new Dictionary<string, string?>
        {
            ["TOKEN_ENCRYPTION_KEY"] = FernetKey.Generate(),
            ["TOKEN_DB"] = db.Location,
        }, output);
        Assert.Equal(2, code);
        Assert.Contains("company-000: not readable with any configured key", output.ToString());
        Assert.Equal(before, await RowsAsync(database));
    }

    [Fact]
    public async Task The_real_command_runs_and_unknown_commands_are_refused()
    {
        await using var db = await TestDatabase.CreateAsync(Engines.Sqlite, "tokens.db");
        string oldKey = FernetKey.Generate(), newKey = FernetKey.Generate();
        await (await SeedAsync(db, oldKey, 3)).DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var environment = new Dictionary<string, string?> { ["TOKEN_ENCRYPTION_KEY"] = $"{newKey},{oldKey}", ["TOKEN_DB"] = db.Location };
        var folder = Path.GetDirectoryName(db.Location)!;
        var run = await ServiceProcess.RunAsync("CalendarConnect.McpServer", environment, folder, TimeSpan.FromSeconds(60), ["rotate-keys"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Done: 3 re-encrypted", run.StandardOutput);

        var unknown = await ServiceProcess.RunAsync("CalendarConnect.McpServer", environment, folder, TimeSpan.FromSeconds(60), ["rotate-kyes"]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown command 'rotate-kyes'", unknown.StandardError);
    }

    /// <summary>Cancels, as Ctrl+C would, when the command prints a given progress text.</summary>
    private sealed class StopAtWriter(string marker, CancellationTokenSource stop) : StringWriter
    {
        public string Text => ToString();

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true) stop.Cancel();
        }
    }
}
