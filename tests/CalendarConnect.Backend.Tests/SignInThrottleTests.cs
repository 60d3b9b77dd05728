using CalendarConnect.Backend.SignIn;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.Backend.Tests;

public class SignInThrottleTests
{
    [Fact]
    public void Five_failures_lock_out_until_the_window_ends_and_other_clients_are_unaffected()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-15T10:00:00Z"));
        var throttle = new SignInThrottle(time);

        for (var i = 0; i < SignInThrottle.MaxFailures - 1; i++) throttle.RecordFailure("10.0.0.1");
        Assert.Null(throttle.LockedOutFor("10.0.0.1"));
        throttle.RecordFailure("10.0.0.1");
        Assert.Equal(SignInThrottle.Window, throttle.LockedOutFor("10.0.0.1"));
        Assert.Null(throttle.LockedOutFor("10.0.0.2"));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromMinutes(5), throttle.LockedOutFor("10.0.0.1"));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(throttle.LockedOutFor("10.0.0.1"));

        throttle.RecordFailure("10.0.0.1"); // a new window starts from zero
        Assert.Null(throttle.LockedOutFor("10.0.0.1"));
    }

    [Fact]
    public void A_success_resets_the_count()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider());
        for (var i = 0; i < SignInThrottle.MaxFailures - 1; i++) throttle.RecordFailure("c");
        throttle.Reset("c");
        throttle.RecordFailure("c");
        Assert.Null(throttle.LockedOutFor("c"));
    }
}
