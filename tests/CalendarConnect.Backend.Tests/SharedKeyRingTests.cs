using System.Net;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Web;
using CalendarConnect.Infrastructure;
using CalendarConnect.Testing;
using Dapper;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Data Protection's key ring lives in CUSTOMER_DB, encrypted under DATA_PROTECTION_KEY: replicas behind a load
/// balancer accept each other's session cookie and antiforgery token, and a restart signs nobody out.
/// </summary>
public class SharedKeyRingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A second backend as another host or container would run it: another content root (before the key ring was shared
    /// and named, that alone gave it keys and purposes of its own).
    /// </summary>
    public static Task<LoopbackServer> StartReplicaAsync(BackendHarness h, IReadOnlyDictionary<string, string?>? extraSettings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var settings = BackendHarness.Settings(h.DbLocation, h.Mcp!.BaseAddress.ToString());
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var contentRoot = BackendHarness.NewTempFolder();
        return LoopbackServer.StartAsync((_, s) => Program.BuildApp(["--contentRoot", contentRoot], s, configure), settings);
    }

    /// <summary>A browser: cookies are kept per host, not per port, so it sends one replica's cookies to the other (as behind a load balancer).</summary>
    public static HttpClient Browser(LoopbackServer server, CookieContainer cookies) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = server.BaseAddress };

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_cookie_and_an_antiforgery_token_issued_by_one_replica_are_accepted_by_the_other(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        await using var replica = await StartReplicaAsync(h);
        var cookies = new CookieContainer();
        using var first = Browser(h.Server, cookies);
        using var second = Browser(replica, cookies);

        await BackendHarness.SignInAsync(first);
        var apiToken = SignInTests.MetaToken(await BodyAsync(await first.GetAsync("clientes", Ct)));

        var page = await second.GetAsync("clientes", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var write = new HttpRequestMessage(HttpMethod.Post, "v1/customer-calendars/connect") { Content = BackendHarness.ConnectBody() };
        write.Headers.Add(AdminAuthenticationHeader, apiToken);
        await JsonAsync(await second.SendAsync(write, Ct));
        Assert.Single(await h.RowsAsync());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_restart_keeps_the_session(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var cookies = new CookieContainer();
        await using (var before = await StartReplicaAsync(h))
        {
            using var browser = Browser(before, cookies);
            await BackendHarness.SignInAsync(browser);
        }

        await using var after = await StartReplicaAsync(h);
        using var again = Browser(after, cookies);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("clientes", Ct)).StatusCode);
        await JsonAsync(await again.GetAsync("v1/customer-calendars", Ct));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_stored_key_ring_is_encrypted_under_the_configured_key(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var browser = Browser(h.Server, new CookieContainer());
        await BackendHarness.SignInAsync(browser);

        await using var connection = BackendHarness.Connect(h.Database);
        var rows = (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        var key = Assert.Single(rows); // replicas and restarts share the first key: none makes its own
        Assert.Contains("urn:calendarconnect:data-protection", key);
        Assert.Contains("encryptedSecret", key);
        Assert.DoesNotContain("masterKey", key);    // the framework's plaintext secret element
        Assert.DoesNotContain("unencrypted", key);  // and its warning comment
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_replica_with_another_key_refuses_to_start_with_one_line(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var error = await Assert.ThrowsAsync<StartupException>(() => StartReplicaAsync(h, new Dictionary<string, string?>
        {
            ["DATA_PROTECTION_KEY"] = Convert.ToBase64String(new byte[32]),
            ["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None",
        }));
        Assert.StartsWith("DATA_PROTECTION_KEY cannot decrypt 1 of the 1 current keys", error.Message);
        Assert.DoesNotContain("\n", error.Message);

        // Listing the old key after a new one (a key replacement) reads the ring.
        await using var replaced = await StartReplicaAsync(h, new Dictionary<string, string?>
        {
            ["DATA_PROTECTION_KEY"] = Convert.ToBase64String(new byte[32]) + "," + BackendHarness.DataProtectionKey,
        });
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Three_backends_starting_at_once_on_an_empty_database_make_one_key_and_accept_each_others_cookies(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, Path.Combine("nested", "customers.db"));
        await using var mcp = await StandInMcpServer.StartAsync();
        var settings = BackendHarness.Settings(database.Location, mcp.BaseAddress.ToString());
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
        {
            var contentRoot = BackendHarness.NewTempFolder();
            return LoopbackServer.StartAsync((_, s) => Program.BuildApp(["--contentRoot", contentRoot], s), settings);
        }));
        try
        {
            await using (var connection = BackendHarness.Connect(database))
                Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM data_protection_keys WHERE friendly_name LIKE 'key-%'"));
            foreach (var issuer in replicas)
            {
                var cookies = new CookieContainer();
                using (var browser = Browser(issuer, cookies)) await BackendHarness.SignInAsync(browser);
                foreach (var other in replicas.Where(r => r != issuer))
                {
                    using var browser = Browser(other, cookies);
                    Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("clientes", Ct)).StatusCode);
                }
            }
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
        }
    }

    /// <summary>One restart with "$NEW,$OLD" completes the replacement: afterwards "$NEW" alone reads the ring and the sessions.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_restart_with_a_new_key_listed_first_re_encrypts_the_stored_ring_so_the_old_key_can_go(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var cookies = new CookieContainer();
        using (var browser = Browser(h.Server, cookies)) await BackendHarness.SignInAsync(browser);
        var newKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

        await using (await StartReplicaAsync(h, new Dictionary<string, string?> { ["DATA_PROTECTION_KEY"] = Convert.ToBase64String(newKey) + "," + BackendHarness.DataProtectionKey }))
        {
        }

        await using (var connection = BackendHarness.Connect(h.Database))
        {
            var key = Assert.Single(await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys"));
            Assert.Contains($"keyId=\"{KeyRingCipher.KeyId(newKey)}\"", key);
            Assert.DoesNotContain($"keyId=\"{KeyRingCipher.KeyId(Convert.FromBase64String(BackendHarness.DataProtectionKey))}\"", key);
        }
        await using var onlyNew = await StartReplicaAsync(h, new Dictionary<string, string?> { ["DATA_PROTECTION_KEY"] = Convert.ToBase64String(newKey) });
        using var again = Browser(onlyNew, cookies);
        await JsonAsync(await again.GetAsync("v1/customer-calendars", Ct));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_stored_key_whose_secret_is_not_encrypted_stops_start_up_with_one_line(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        await using (var connection = BackendHarness.Connect(h.Database))
            await connection.ExecuteAsync("""
                INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES ('key-00000000-0000-0000-0000-000000000001',
                '<key id="00000000-0000-0000-0000-000000000001" version="1"><creationDate>2025-01-01T00:00:00Z</creationDate><activationDate>2025-01-01T00:00:00Z</activationDate><expirationDate>2999-01-01T00:00:00Z</expirationDate><descriptor deserializerType="x"><descriptor><encryption algorithm="AES_256_CBC" /><validation algorithm="HMACSHA256" /><masterKey xmlns:p4="http://schemas.asp.net/2015/03/dataProtection" p4:requiresEncryption="true"><value>AAAA</value></masterKey></descriptor></descriptor></key>',
                '2025-01-01T00:00:00.0000000+00:00');
                """);

        var error = await Assert.ThrowsAsync<StartupException>(() => StartReplicaAsync(h, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None",
        }));
        Assert.StartsWith("The sign-in key ring in CUSTOMER_DB", error.Message);
        Assert.Contains("is not encrypted (key-00000000-0000-0000-0000-000000000001)", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    private const string AdminAuthenticationHeader = CalendarConnect.Backend.SignIn.AdminAuthentication.AntiforgeryHeader;
}
