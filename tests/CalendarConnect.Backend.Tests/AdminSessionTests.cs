using System.Net;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Admin sessions live in CUSTOMER_DB and are checked on every request: sign-out ends every copy of the cookie on
/// every replica, a changed ADMIN_PASSWORD ends every session, and sessions have an idle and an absolute lifetime.
/// </summary>
public class AdminSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Sign_out_ends_a_copied_cookie_at_once_on_every_replica(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        await using var replica = await SharedKeyRingTests.StartReplicaAsync(h);
        var cookies = new CookieContainer();
        using var admin = SharedKeyRingTests.Browser(h.Server, cookies);
        await BackendHarness.SignInAsync(admin);
        var page = await BodyAsync(await admin.GetAsync("clientes", Ct));

        var copied = new CookieContainer();
        copied.Add(cookies.GetAllCookies());
        using var thiefHere = SharedKeyRingTests.Browser(h.Server, copied);
        using var thiefThere = SharedKeyRingTests.Browser(replica, copied);
        await JsonAsync(await thiefThere.GetAsync("v1/customer-calendars", Ct));

        var signOut = await admin.PostAsync("salir", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = SignInTests.FormToken(page) }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        await ProblemAsync(await thiefThere.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        await ProblemAsync(await thiefHere.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(0, await SessionCountAsync(h));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_changed_admin_password_ends_every_session(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var cookies = new CookieContainer();
        using var admin = SharedKeyRingTests.Browser(h.Server, cookies);
        await BackendHarness.SignInAsync(admin);
        var kept = new CookieContainer(); // the refusal below also deletes the browser's cookie
        kept.Add(cookies.GetAllCookies());

        await using var changed = await SharedKeyRingTests.StartReplicaAsync(h, new Dictionary<string, string?> { ["ADMIN_PASSWORD"] = "a new password" });
        using var afterChange = SharedKeyRingTests.Browser(changed, cookies);
        await ProblemAsync(await afterChange.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        var page = await afterChange.GetAsync("clientes", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/ingresar", page.Headers.Location!.AbsolutePath);

        // Refused, not deleted: during a rolling change a replica still on the old password keeps its sessions.
        Assert.Equal(1, await SessionCountAsync(h));
        using var onOldReplica = SharedKeyRingTests.Browser(h.Server, kept);
        await JsonAsync(await onOldReplica.GetAsync("v1/customer-calendars", Ct));
    }

    /// <summary>The README's recipe for replacing DATA_PROTECTION_KEY ("$NEW,$OLD"), rolled out one replica at a time.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Replacing_DATA_PROTECTION_KEY_signs_nobody_out_and_replicas_on_either_setting_keep_each_others_sessions(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var before = new CookieContainer();
        using (var admin = SharedKeyRingTests.Browser(h.Server, before)) await BackendHarness.SignInAsync(admin);

        await using var rotated = await SharedKeyRingTests.StartReplicaAsync(h, new Dictionary<string, string?>
        {
            ["DATA_PROTECTION_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "," + BackendHarness.DataProtectionKey,
        });
        using var oldSessionOnNew = SharedKeyRingTests.Browser(rotated, before);
        await JsonAsync(await oldSessionOnNew.GetAsync("v1/customer-calendars", Ct));

        var after = new CookieContainer();
        using (var admin = SharedKeyRingTests.Browser(rotated, after)) await BackendHarness.SignInAsync(admin);
        using var newSessionOnOld = SharedKeyRingTests.Browser(h.Server, after);
        await JsonAsync(await newSessionOnOld.GetAsync("v1/customer-calendars", Ct));
        using var newSessionOnNew = SharedKeyRingTests.Browser(rotated, after);
        await JsonAsync(await newSessionOnNew.GetAsync("v1/customer-calendars", Ct));
        await JsonAsync(await oldSessionOnNew.GetAsync("v1/customer-calendars", Ct));
        Assert.Equal(2, await SessionCountAsync(h));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_session_ends_after_eight_idle_hours_but_not_while_used(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        await using var h = await BackendHarness.StartAsync(engine,
            extraSettings: new Dictionary<string, string?> { ["Logging:LogLevel:CalendarConnect.Backend.SignIn.AdminSessions"] = "Information" },
            configure: s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddLogging(l => l.AddProvider(logs));
            });
        using var admin = SharedKeyRingTests.Browser(h.Server, new CookieContainer());
        await BackendHarness.SignInAsync(admin);

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromMinutes(2));
            await JsonAsync(await admin.GetAsync("v1/customer-calendars", Ct));
        }
        clock.Advance(TimeSpan.FromHours(8));
        await ProblemAsync(await admin.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        // The server's idle rule ended it (not the cookie's own expiry): its row is gone and the reason logged.
        Assert.Equal(0, await SessionCountAsync(h));
        Assert.Single(logs.Lines, l => l.Contains("Admin session refused: unused for longer than the idle timeout"));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_session_used_all_along_ends_seven_days_after_sign_in(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await BackendHarness.StartAsync(engine, configure: s => s.AddSingleton<TimeProvider>(clock));
        using var admin = SharedKeyRingTests.Browser(h.Server, new CookieContainer());
        await BackendHarness.SignInAsync(admin);

        var signedInFor = TimeSpan.Zero;
        while (signedInFor + TimeSpan.FromHours(6) < TimeSpan.FromDays(7))
        {
            clock.Advance(TimeSpan.FromHours(6));
            signedInFor += TimeSpan.FromHours(6);
            await JsonAsync(await admin.GetAsync("v1/customer-calendars", Ct));
        }
        clock.Advance(TimeSpan.FromDays(7) - signedInFor);
        await ProblemAsync(await admin.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("ADMIN_SESSION_IDLE_MINUTES", "0", null)]
    [InlineData("ADMIN_SESSION_LIFETIME_HOURS", "forever", null)]
    [InlineData("ADMIN_SESSION_IDLE_MINUTES", "600", "8")] // 10 idle hours in an 8-hour lifetime
    public async Task Lifetimes_are_settings_and_bad_values_fail_start_up_naming_the_variable(string variable, string value, string? lifetimeHours)
    {
        var settings = BackendHarness.Settings(Path.Combine(BackendHarness.NewTempFolder(), "c.db"), "http://127.0.0.1:1");
        settings[variable] = value;
        if (lifetimeHours is not null) settings["ADMIN_SESSION_LIFETIME_HOURS"] = lifetimeHours;
        settings["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LoopbackServer.StartAsync(Program.BuildApp, settings));
        Assert.Contains(variable, error.Message);
    }

    private static async Task<long> SessionCountAsync(BackendHarness h)
    {
        await using var connection = BackendHarness.Connect(h.Database);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM admin_sessions");
    }
}
