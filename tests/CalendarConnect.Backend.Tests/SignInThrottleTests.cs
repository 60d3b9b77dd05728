using CalendarConnect.Backend.SignIn;
using CalendarConnect.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.Backend.Tests;

public class SignInThrottleTests
{
    private static SignInThrottle Throttle(TimeProvider time, CapturedLogs? logs = null) =>
        new(time, Options.Create(new AdminSessionOptions()),
            new LoggerFactory([logs ?? new CapturedLogs()]).CreateLogger<SignInThrottle>());

    private static SignInAttempt From(string address, string user = "admin") => new(address, user, SignInAttempt.Form);

    [Fact]
    public void Five_failures_lock_out_until_the_window_ends_and_other_clients_are_unaffected()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-15T10:00:00Z"));
        var throttle = Throttle(time);

        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress - 1; i++) throttle.RecordFailure(From("10.0.0.1"));
        Assert.Null(throttle.LockedOutFor(From("10.0.0.1")));
        throttle.RecordFailure(From("10.0.0.1"));
        Assert.Equal(SignInThrottle.Window, throttle.LockedOutFor(From("10.0.0.1")));
        Assert.Null(throttle.LockedOutFor(From("10.0.0.2")));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromMinutes(5), throttle.LockedOutFor(From("10.0.0.1")));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(throttle.LockedOutFor(From("10.0.0.1")));

        throttle.RecordFailure(From("10.0.0.1")); // a new window starts from zero
        Assert.Null(throttle.LockedOutFor(From("10.0.0.1")));
    }

    [Fact]
    public void A_success_resets_the_address_count()
    {
        var throttle = Throttle(new FakeTimeProvider());
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress - 1; i++) throttle.RecordFailure(From("c"));
        throttle.RecordSuccess(From("c"));
        throttle.RecordFailure(From("c"));
        Assert.Null(throttle.LockedOutFor(From("c")));
    }

    /// <summary>The attack of issue 11: 100 guesses of the admin's password from 20 addresses, 5 from each.</summary>
    [Fact]
    public void A_hundred_guesses_from_twenty_addresses_are_throttled_per_account()
    {
        var throttle = Throttle(new FakeTimeProvider(DateTimeOffset.Parse("2025-01-15T10:00:00Z")));
        var checkedGuesses = 0;
        for (var address = 1; address <= 20; address++)
            for (var guess = 0; guess < 5; guess++)
            {
                var attempt = From($"203.0.113.{address}");
                if (throttle.LockedOutFor(attempt) is not null) continue;
                checkedGuesses++;
                throttle.RecordFailure(attempt);
            }

        Assert.Equal(SignInThrottle.MaxFailuresPerAccount, checkedGuesses);
        Assert.NotNull(throttle.LockedOutFor(From("198.51.100.7")));                 // the admin's account, from anywhere
        Assert.NotNull(throttle.LockedOutFor(From("198.51.100.7", "someone-else"))); // whatever user name is typed
    }

    /// <summary>
    /// Twenty failures as one name, then a try as another: both are refused alike, so the lockout does not tell whether
    /// the first name was the admin's.
    /// </summary>
    [Theory]
    [InlineData("admin", "someone-else")]
    [InlineData("someone-else", "admin")]
    [InlineData("guess", "another-guess")]
    public void Every_failure_counts_against_the_one_admin_account_whatever_the_user_name(string failedAs, string thenTried)
    {
        var throttle = Throttle(new FakeTimeProvider());
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAccount; i++) throttle.RecordFailure(From($"192.0.2.{i}", failedAs));
        Assert.NotNull(throttle.LockedOutFor(From("192.0.2.200", failedAs)));
        Assert.NotNull(throttle.LockedOutFor(From("192.0.2.200", thenTried)));
    }

    [Fact]
    public void An_address_the_admin_signed_in_from_within_the_session_lifetime_is_not_locked_out_by_the_account_limit()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-15T10:00:00Z"));
        var throttle = Throttle(time);
        throttle.RecordSuccess(From("198.51.100.7"));
        time.Advance(TimeSpan.FromDays(6));

        for (var i = 0; i < SignInThrottle.MaxFailuresPerAccount; i++) throttle.RecordFailure(From($"203.0.113.{i}", "admin"));
        Assert.NotNull(throttle.LockedOutFor(From("203.0.113.200")));
        Assert.Null(throttle.LockedOutFor(From("198.51.100.7")));

        time.Advance(TimeSpan.FromDays(1)); // a week after that sign-in: the address is no longer remembered
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAccount; i++) throttle.RecordFailure(From($"203.0.113.{i}", "admin"));
        Assert.NotNull(throttle.LockedOutFor(From("198.51.100.7")));
    }

    [Fact]
    public void A_known_address_still_has_its_own_per_address_limit()
    {
        var throttle = Throttle(new FakeTimeProvider());
        throttle.RecordSuccess(From("198.51.100.7"));
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++) throttle.RecordFailure(From("198.51.100.7"));
        Assert.NotNull(throttle.LockedOutFor(From("198.51.100.7")));
    }

    [Fact]
    public void IPv6_addresses_are_counted_per_64_network()
    {
        var throttle = Throttle(new FakeTimeProvider());
        for (var i = 1; i <= SignInThrottle.MaxFailuresPerAddress; i++) throttle.RecordFailure(From($"2001:db8:1:2::{i:x}"));
        Assert.NotNull(throttle.LockedOutFor(From("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        Assert.Null(throttle.LockedOutFor(From("2001:db8:1:3::1")));
        Assert.Equal("2001:db8:1:2::/64", SignInAttempt.ClientAddressGroup("2001:db8:1:2:aaaa::5"));
        Assert.Equal("203.0.113.9", SignInAttempt.ClientAddressGroup("203.0.113.9"));
    }

    [Fact]
    public void A_refusal_is_logged_once_per_window_not_once_per_request()
    {
        var logs = new CapturedLogs();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-15T10:00:00Z"));
        var throttle = Throttle(time, logs);
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++) throttle.RecordFailure(From("10.0.0.1"));

        for (var i = 0; i < 50; i++) Assert.NotNull(throttle.LockedOutFor(From("10.0.0.1")));
        Assert.Single(logs.Lines, l => l.Contains("refused without checking the password"));

        time.Advance(SignInThrottle.Window);
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++) throttle.RecordFailure(From("10.0.0.1"));
        Assert.NotNull(throttle.LockedOutFor(From("10.0.0.1")));
        Assert.Equal(2, logs.Lines.Count(l => l.Contains("refused without checking the password")));
    }

    [Fact]
    public void Each_failure_is_logged_with_address_and_user_name_and_a_forged_line_is_defused()
    {
        var logs = new CapturedLogs();
        var throttle = Throttle(new FakeTimeProvider(), logs);

        throttle.RecordFailure(new SignInAttempt("203.0.113.9", "admin\nWarning forged line", SignInAttempt.Basic));

        var line = Assert.Single(logs.Lines);
        Assert.StartsWith("Warning ", line);
        Assert.Contains("Failed admin sign-in (HTTP Basic) from 203.0.113.9 as admin?Warning forged line", line);
    }
}
