using CalendarConnect.McpServer.SystemStatus;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.McpServer.Tests.SystemStatus;

/// <summary>The in-memory count between two writes: one bucket per company, kind and minute, bounded, reason codes only.</summary>
public class GoogleFailuresTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void A_storm_of_failures_is_one_bucket_per_company_kind_and_minute()
    {
        var time = new FakeTimeProvider(Start);
        var failures = new GoogleFailures(time);
        for (var i = 0; i < 500; i++) failures.Record("empresa-a", GoogleFailureKinds.CalendarApi, "backendError", 503);
        failures.Record("empresa-a", GoogleFailureKinds.TokenRefresh, "invalid_grant", 400);
        time.Advance(TimeSpan.FromSeconds(40)); // the next minute
        failures.Record("empresa-a", GoogleFailureKinds.CalendarApi, "timeout", 0);

        var (buckets, dropped) = failures.Drain();
        Assert.Equal(0, dropped);
        Assert.Equal(3, buckets.Count);
        var storm = Assert.Single(buckets, b => b.Kind == GoogleFailureKinds.CalendarApi && b.Minute == GoogleFailures.MinuteOf(Start));
        Assert.Equal(500, storm.Failures);
        var next = Assert.Single(buckets, b => b.Minute == GoogleFailures.MinuteOf(Start).AddMinutes(1));
        Assert.Equal(("timeout", (int?)null), (next.Reason, next.HttpStatus));
        Assert.Empty(failures.Drain().Buckets); // drained
    }

    [Fact]
    public void Beyond_the_pending_limit_failures_are_counted_as_dropped_and_a_failed_write_comes_back()
    {
        var failures = new GoogleFailures(new FakeTimeProvider(Start));
        for (var i = 0; i < GoogleFailures.MaxPendingBuckets + 3; i++) failures.Record($"empresa-{i}", GoogleFailureKinds.CalendarApi, "backendError", 503);
        var (buckets, dropped) = failures.Drain();
        Assert.Equal(GoogleFailures.MaxPendingBuckets, buckets.Count);
        Assert.Equal(3, dropped);

        failures.Record("empresa-0", GoogleFailureKinds.CalendarApi, "backendError", 503);
        failures.Return(buckets);
        var (again, _) = failures.Drain();
        Assert.Equal(GoogleFailures.MaxPendingBuckets, again.Count);
        Assert.Equal(2, Assert.Single(again, b => b.CustomerId == "empresa-0").Failures);
    }

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData("", "unknown")]
    [InlineData("backendError", "backendError")]
    [InlineData("invalid_grant", "invalid_grant")]
    [InlineData("ya29.a0AfH6SMB secret token", "other")]
    [InlineData("Bearer ya29.abc", "other")]
    [InlineData("{\"error\":\"x\"}", "other")]
    public void Only_short_reason_codes_are_kept(string? reason, string kept) => Assert.Equal(kept, ReasonCode.Clean(reason));

    [Fact]
    public void A_long_reason_is_not_kept()
    {
        Assert.Equal(ReasonCode.Other, ReasonCode.Clean(new string('a', ReasonCode.MaxLength + 1)));
        Assert.Equal(new string('a', ReasonCode.MaxLength), ReasonCode.Clean(new string('a', ReasonCode.MaxLength)));
    }
}
