using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The assistant is public and each message may cost calls to the company's Google Calendar, so messages are
/// limited per client IP (the rate-limiting middleware, policy <see cref="PerClientPolicy"/>; an IPv6 client by its
/// /64, which one host usually has whole), and per conversation and per company (here, once the body says which;
/// every channel goes through it). The per-company limit is the one a caller cannot dodge: it chooses conversation ids.
/// </summary>
/// <remarks>The counts are in memory, so each limit applies per replica.</remarks>
public sealed class AssistantRateLimits : IDisposable
{
    public const string PerClientPolicy = "assistant-per-client";

    private readonly PartitionedRateLimiter<string> _perConversation;
    private readonly PartitionedRateLimiter<string> _perCompany;

    public AssistantRateLimits(IOptions<AssistantChannelOptions> options)
    {
        _perConversation = PerMinute(options.Value.MessagesPerMinutePerConversation);
        _perCompany = PerMinute(options.Value.MessagesPerMinutePerCompany);
    }

    private static PartitionedRateLimiter<string> PerMinute(int limit) =>
        PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

    /// <summary>
    /// Counts a message of the conversation against its limit and its company's. Null when the message may be
    /// answered; otherwise how long to wait.
    /// </summary>
    public TimeSpan? TryConversation(string customerId, string conversationId)
    {
        // The conversation's first: a flooding conversation is refused without using up its company's messages.
        // The customer id cannot contain a newline (CustomerIds), so the key is unambiguous.
        return TryAcquire(_perConversation, customerId + "\n" + conversationId) ?? TryAcquire(_perCompany, customerId);
    }

    private static TimeSpan? TryAcquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// The per-client partition of an address: an IPv4 address itself (also when written IPv4-mapped), an IPv6
    /// address's /64 (a host is usually given a whole /64, so counting each address would let it use 2^64 of them).
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
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
            RateLimitPartition.GetFixedWindowLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
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

    public void Dispose()
    {
        _perConversation.Dispose();
        _perCompany.Dispose();
    }
}
