using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>
/// What a request to Google carries for its resilience handler: whose calendar it is for (each company has its own
/// circuit breaker) and whether sending it again is harmless (only such requests are retried).
/// </summary>
public static class GoogleRequests
{
    public static readonly HttpRequestOptionsKey<string> Company = new("calendarconnect.company");
    public static readonly HttpRequestOptionsKey<bool> SafeToRepeat = new("calendarconnect.safe_to_repeat");

    /// <summary>
    /// An authorization-code exchange: not safe to repeat as such (a redeemed code answers <c>invalid_grant</c>), but no
    /// answer or a 5xx means Google did not redeem it, so then it is sent once more (<see cref="GoogleResilience.AddTokenEndpointResilience"/>).
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> CodeExchange = new("calendarconnect.code_exchange");

    /// <summary>Which Google endpoint the request is for (one of <see cref="GoogleEndpoints"/>), for its metrics.</summary>
    public static readonly HttpRequestOptionsKey<string> Endpoint = new("calendarconnect.endpoint");

    /// <summary>The breaker key of requests made for no company in particular.</summary>
    public const string NoCompany = "-";

    private static readonly AsyncLocal<string?> CurrentCompany = new();

    /// <summary>The company whose calendar the Google calls made inside this scope are for (set by <see cref="CompanyCalendar"/>).</summary>
    public static CompanyScope ForCompany(string customerId)
    {
        var previous = CurrentCompany.Value;
        CurrentCompany.Value = customerId;
        return new CompanyScope(previous);
    }

    public static string CompanyOrNone => CurrentCompany.Value ?? NoCompany;

    public readonly struct CompanyScope(string? previous) : IDisposable
    {
        public void Dispose() => CurrentCompany.Value = previous;
    }

    public static bool IsSafeToRepeat(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(SafeToRepeat, out var safe) && safe;

    public static bool IsCodeExchange(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(CodeExchange, out var exchange) && exchange;
}

/// <summary>
/// Timeouts, retries and circuit breakers of the Google HttpClients (Microsoft.Extensions.Http.Resilience, Polly 8).
/// Every call is bounded, so nothing waits behind a hung Google for long; only transient failures (5xx, 429, 403
/// rate/quota, no connection, no answer in time) of requests that are safe to repeat are retried, with exponential
/// back-off and jitter, or after Google's Retry-After when that is short; a write that is not idempotent is sent once.
/// </summary>
public static class GoogleResilience
{
    /// <summary>One Calendar API request; Google answers in 100–300 ms, freeBusy over many calendars in about a second.</summary>
    public static readonly TimeSpan CalendarAttemptTimeout = TimeSpan.FromSeconds(4);

    /// <summary>One Calendar API call with its retries: a tool call (deadline 10 s) still answers after it.</summary>
    public static readonly TimeSpan CalendarCallTimeout = TimeSpan.FromSeconds(8);

    public const int CalendarRetries = 3;

    /// <summary>A longer Retry-After than this is not waited for within a call: the call fails at once.</summary>
    public static readonly TimeSpan CalendarMaxRetryAfter = TimeSpan.FromSeconds(3);

    // Per company: at least 5 calls in 30 s, half of them failed (after their retries) → 15 s without asking Google.
    public const int BreakerMinimumCalls = 5;
    public const double BreakerFailureRatio = 0.5;
    public static readonly TimeSpan BreakerSampling = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(15);

    /// <summary>One token request. A token request that got no answer in this time is not sent again (see <see cref="AddTokenEndpointResilience"/>).</summary>
    public static readonly TimeSpan TokenAttemptTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan TokenCallTimeout = TimeSpan.FromSeconds(8);

    /// <summary>The one retry of a refresh comes about this long after a transient failure (with jitter): a 503 storm is answered within ~2 s.</summary>
    public static readonly TimeSpan TokenRetryDelay = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan TokenMaxRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>A code exchange, its one repetition and the wait between them: the most the person waits on the callback page for Google.</summary>
    public static readonly TimeSpan CodeExchangeBudget = TokenAttemptTimeout * 2 + TokenRetryDelay;

    /// <summary>The HttpClient's own timeout, above every budget here: it also bounds reading a body whose headers came in time.</summary>
    public static readonly TimeSpan HttpClientBackstop = TimeSpan.FromSeconds(10);

    /// <summary>The token client's own timeout: above <see cref="CodeExchangeBudget"/>, so the exchange's second attempt ends by its own timeout.</summary>
    public static readonly TimeSpan TokenClientBackstop = CodeExchangeBudget + TimeSpan.FromSeconds(1);

    /// <summary>
    /// Calendar API: per company (the key on the request), a circuit breaker around a bounded call (total timeout) made
    /// of up to 4 attempts, each with its own timeout. Breaker outside the retries: it counts calls, not attempts, so a
    /// single call that Google fails four times is one failure, and an open breaker answers at once without touching Google.
    /// </summary>
    public static IHttpClientBuilder AddCalendarResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("google-calendar", (pipeline, context) =>
        {
            var clock = context.ServiceProvider.GetRequiredService<WaitClock>();
            var log = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GoogleResilience).FullName!);
            var company = context.InstanceName;
            pipeline.TimeProvider = clock.Time;
            pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = BreakerFailureRatio,
                MinimumThroughput = BreakerMinimumCalls,
                SamplingDuration = BreakerSampling,
                BreakDuration = BreakDuration,
                ShouldHandle = args => IsCalendarFailureAsync(args.Outcome),
                OnOpened = args =>
                {
                    log.LogWarning("Google Calendar keeps failing for customer {CustomerId}: it is not asked again for {Seconds} s", company,
                        (int)args.BreakDuration.TotalSeconds);
                    return default;
                },
                OnClosed = _ =>
                {
                    log.LogInformation("Google Calendar answers again for customer {CustomerId}", company);
                    return default;
                },
            });
            pipeline.AddTimeout(CalendarCallTimeout);
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = CalendarRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                ShouldHandle = async args => GoogleRequests.IsSafeToRepeat(args.Context.GetRequestMessage()) &&
                    await IsCalendarFailureAsync(args.Outcome) && !(RetryAfterOf(args.Outcome, clock) > CalendarMaxRetryAfter),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome, clock)),
            });
            pipeline.AddTimeout(CalendarAttemptTimeout);
        }).SelectPipelineBy(_ => request => request.Options.TryGetValue(GoogleRequests.Company, out var company) ? company : GoogleRequests.NoCompany);
        return builder;
    }

    /// <summary>
    /// Token endpoint: at most two requests per refresh (one retry after a transient answer or a failed connection,
    /// about <see cref="TokenRetryDelay"/> later) within <see cref="TokenCallTimeout"/>. A request that got no answer
    /// in <see cref="TokenAttemptTimeout"/> is not sent again: the endpoint is hung, a second wait would pass every
    /// caller's deadline, and the company's refresh back-off takes over. Revocations are sent once.
    /// A code exchange (<see cref="GoogleRequests.CodeExchange"/>) has its own pipeline: sent again once,
    /// <see cref="TokenRetryDelay"/> later, after a 5xx or no answer (none in <see cref="TokenAttemptTimeout"/> included),
    /// which mean Google did not redeem the code and the person is waiting on the page; never after a 429 (slow down) or
    /// any other answer. No breaker: the refresh back-off, kept in the database, is the token endpoint's breaker, shared
    /// by every replica.
    /// </summary>
    public static IHttpClientBuilder AddTokenEndpointResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("google-token", (pipeline, context) =>
        {
            var clock = context.ServiceProvider.GetRequiredService<WaitClock>();
            pipeline.TimeProvider = clock.Time;
            if (context.InstanceName == CodeExchangePipeline)
            {
                pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = 1,
                    BackoffType = DelayBackoffType.Constant,
                    Delay = TokenRetryDelay,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutRejectedException ||
                        args.Outcome.Result?.StatusCode >= HttpStatusCode.InternalServerError),
                });
                pipeline.AddTimeout(TokenAttemptTimeout);
                return;
            }

            pipeline.AddTimeout(TokenCallTimeout);
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 1,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = true,
                Delay = TokenRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(GoogleRequests.IsSafeToRepeat(args.Context.GetRequestMessage()) &&
                    IsTransientTokenAnswer(args.Outcome) && !(RetryAfterOf(args.Outcome, clock) > TokenMaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome, clock)),
            });
            pipeline.AddTimeout(TokenAttemptTimeout);
        }).SelectPipelineBy(_ => request => GoogleRequests.IsCodeExchange(request) ? CodeExchangePipeline : OtherTokenRequestsPipeline);
        return builder;
    }

    private const string CodeExchangePipeline = "code-exchange", OtherTokenRequestsPipeline = "token";

    /// <summary>Worth asking again later, and a sign of a failing calendar: 5xx, 429, 408, 403 rate/quota, no connection, no answer in time.</summary>
    private static async ValueTask<bool> IsCalendarFailureAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is not null) return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        var response = outcome.Result!;
        if (IsTransientStatus(response.StatusCode)) return true;
        if (response.StatusCode != HttpStatusCode.Forbidden) return false;
        // 403 means "no access" or "slow down": only the error body's reason tells. Buffered, so the client reads it again.
        await response.Content.LoadIntoBufferAsync();
        return GoogleApiException.IsRateLimit(GoogleCalendarClient.ParseError(response.StatusCode, await response.Content.ReadAsStringAsync()).Reason);
    }

    private static bool IsTransientTokenAnswer(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException || (outcome.Result is { } response && IsTransientStatus(response.StatusCode));

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status >= HttpStatusCode.InternalServerError || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    private static TimeSpan? RetryAfterOf(Outcome<HttpResponseMessage> outcome, WaitClock clock) =>
        outcome.Result is { } response ? RetryAfterOf(response, clock.Time.GetUtcNow()) : null;

    /// <summary>Google's Retry-After (seconds, or a date), never negative; null when the answer has none.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
