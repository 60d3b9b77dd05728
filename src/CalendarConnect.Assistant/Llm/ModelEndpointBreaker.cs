namespace CalendarConnect.Assistant.Llm;

/// <summary>
/// Stops asking a model endpoint that keeps failing. Each failed answer would otherwise cost the customer up to
/// <c>ASSISTANT_LLM_TIMEOUT_SECONDS</c> before the rules reply; after <see cref="FailuresToOpen"/> failures in a row
/// the rules answer at once for <see cref="PauseFor"/>, then the next message tries the model again.
/// </summary>
/// <remarks>Only the endpoint's failures count (unreachable, timeout, HTTP errors, unreadable answers), not a model that answered badly.</remarks>
internal sealed class ModelEndpointBreaker(TimeProvider time)
{
    public const int FailuresToOpen = 3;
    public static readonly TimeSpan PauseFor = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private int consecutiveFailures;
    private DateTimeOffset pausedUntil = DateTimeOffset.MinValue;

    /// <summary>Whether the model is being skipped right now.</summary>
    public bool IsPaused
    {
        get
        {
            lock (gate) return time.GetUtcNow() < pausedUntil;
        }
    }

    public void Succeeded()
    {
        lock (gate) consecutiveFailures = 0;
    }

    /// <summary>Records a failure; true when it starts a pause (so the caller logs that once).</summary>
    public bool Failed()
    {
        lock (gate)
        {
            if (++consecutiveFailures < FailuresToOpen) return false;
            consecutiveFailures = 0;
            pausedUntil = time.GetUtcNow() + PauseFor;
            return true;
        }
    }
}
