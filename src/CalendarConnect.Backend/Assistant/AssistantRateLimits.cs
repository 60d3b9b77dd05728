using System.Threading.RateLimiting;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The assistant is public and each message may cost calls to the company's Google Calendar, so messages are
/// limited per client IP (the rate-limiting middleware, policy <see cref="PerClientPolicy"/>) and per conversation
/// (here, once the body says which conversation it is; every channel goes through it).
/// </summary>
public sealed class AssistantRateLimits : IDisposable
{
    public const string PerClientPolicy = "assistant-per-client";

    private readonly PartitionedRateLimiter<string> _perConversation;

    public AssistantRateLimits(IOptions<AssistantChannelOptions> options)
    {
        var limit = options.Value.MessagesPerMinutePerConversation;
        _perConversation = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Null when the message may be answered; otherwise how long to wait.</summary>
    public TimeSpan? TryConversation(string customerId, string conversationId)
    {
        // The customer id cannot contain a newline (CustomerIds), so the key is unambiguous.
        using var lease = _perConversation.AttemptAcquire(customerId + "\n" + conversationId);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public static ProblemHttpResult TooManyMessages(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, ApiTexts.TooManyMessagesTitle, ApiTexts.TooManyMessagesDetail(seconds));
    }

    public static void AddPerClientPolicy(RateLimiterOptions limiter, AssistantChannelOptions options)
    {
        var limit = options.MessagesPerMinutePerClient;
        limiter.AddPolicy(PerClientPolicy, context =>
            // Behind a reverse proxy every client shares its address unless the proxy's forwarded headers are
            // applied (see README); an unknown address is one partition, not unlimited.
            RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            await TooManyMessages(rejected.HttpContext, retryAfter).ExecuteAsync(rejected.HttpContext);
        };
    }

    public void Dispose() => _perConversation.Dispose();
}
