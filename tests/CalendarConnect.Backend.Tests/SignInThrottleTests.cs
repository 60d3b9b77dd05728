using CalendarConnect.Backend.SignIn;
using CalendarConnect.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.Backend.Tests;

public class SignInThrottleTests
{
    private static SignInThrottle Throttle(TimeProvider time, CapturedLogs? logs = null) =>
        new(time, Options.Create(new AdminOptions { User = "admin", Password = "secret" }),
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
        Assert.NotNull(throttle.LockedOutFor(From("198.51.100.7")));             // the admin's account, from anywhere
        Assert.Null(throttle.LockedOutFor(From("198.51.100.7", "someone-else"))); // other user names have their own count
    }

    [Fact]
    public void Wrong_user_names_share_one_count_so_a_lockout_does_not_tell_the_right_name()
    {
        var throttle = Throttle(new FakeTimeProvider());
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAccount; i++) throttle.RecordFailure(From($"192.0.2.{i}", $"user{i}"));
        Assert.NotNull(throttle.LockedOutFor(From("192.0.2.200", "yet-another")));
        Assert.Null(throttle.LockedOutFor(From("192.0.2.200", "admin")));
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
