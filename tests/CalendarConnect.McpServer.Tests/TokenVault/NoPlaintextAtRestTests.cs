using System.Text;
using CalendarConnect.McpServer.TokenVault;
using Dapper;

namespace CalendarConnect.McpServer.Tests.TokenVault;

/// <summary>tokens.db, its WAL and shared-memory files never hold a token, a code verifier or a link in clear.</summary>
public class NoPlaintextAtRestTests
{
    [Fact]
    public async Task The_database_files_hold_no_plaintext_secret()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("empresa-abc-123", "contacto@empresa-abc.com");
        var link = (await h.AuthorizeAsync("other-co", "o@example.com")).GetProperty("shareable_link").GetString()!;
        // A refresh writes again (into the WAL first).
        using (var control = h.Emulator.CreateClient()) (await control.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();
        Assert.NotEqual(true, (await h.CallAsync("empresa-abc-123", "get_available_slots",
            new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") })).IsError);

        Assert.True(FernetKey.TryParse(h.EncryptionKey, out var key));
        var fernet = new Fernet([key], TimeProvider.System);
        await using var db = await h.Database.OpenAsync();
        var row = await db.QuerySingleAsync<(string Access, string Refresh)>("SELECT access_token, refresh_token FROM oauth_tokens");
        var verifiers = (await db.QueryAsync<string>("SELECT code_verifier FROM oauth_states")).Select(v => fernet.DecryptToString(v)).ToList();
        var secrets = new List<string> { fernet.DecryptToString(row.Access), fernet.DecryptToString(row.Refresh), new Uri(link).Segments[^1] };
        secrets.AddRange(verifiers);

        var files = new[] { h.DbPath, h.DbPath + "-wal", h.DbPath + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(h.DbPath + "-wal", files);
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var bytes = await reader.ReadToEndAsync();
            foreach (var secret in secrets) Assert.DoesNotContain(secret, bytes);
        }
    }
}
