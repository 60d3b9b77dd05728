using System.Collections.Concurrent;

namespace CalendarConnect.Backend.Assistant;

/// <summary>Another message of the same conversation kept it busy for longer than a message may wait.</summary>
public sealed class ConversationBusyException() : Exception("The conversation is busy with another message.");

/// <summary>
/// One message at a time per conversation: the assistant reads the conversation's state, talks to the calendar and
/// writes the state back, so two messages answered at once would each write what they read and one would be lost
/// (a booking forgotten, its idempotency count reused).
/// </summary>
/// <remarks>
/// In this process a per-conversation lock orders the messages; across replicas a lease on the conversation's row
/// (<see cref="IConversationLeases.TryLeaseAsync"/>) does, the scheme the MCP server's booking leases use: short,
/// and renewed while the holder works. The lease expires after <see cref="LeaseDuration"/> unless renewed, so a
/// replica that dies mid-message blocks its conversation for a few seconds only; while a message is answered its lease
/// is renewed every <see cref="RenewEvery"/>, however long the message takes (an LLM budget and its calendar calls,
/// with their retries, take far longer than a lease). A message waits at most <see cref="MaxWait"/> in all for the
/// conversation (behind this process's lock and another replica's lease), then gets "busy". Should the lease be lost anyway (the database unreachable for
/// longer than a lease), the message's state write is fenced (<see cref="DatabaseConversationStore.HoldingLease"/>):
/// it does not overwrite the replica that took the conversation over.
/// </remarks>
public sealed class ConversationTurns(IConversationLeases store, TimeProvider time, ILogger<ConversationTurns> logger)
{
    /// <summary>How long a lease lasts unless renewed: how long a replica that died mid-message blocks its conversation.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(6);

    /// <summary>How often the lease of a message being answered is renewed: a third of it, so two renewals may fail in a row.</summary>
    public static readonly TimeSpan RenewEvery = LeaseDuration / 3;

    /// <summary>How long a message waits for the conversation (this process's lock and another replica's lease together) before giving up.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string, string), Gate> _gates = new();

    /// <summary>Runs <paramref name="turn"/> as the only message being answered in this conversation.</summary>
    /// <exception cref="ConversationBusyException">Another replica held the conversation for longer than <see cref="MaxWait"/>.</exception>
    public async Task<T> RunAsync<T>(string customerId, string conversationId, Func<Task<T>> turn, CancellationToken cancellationToken)
    {
        var key = (customerId, conversationId);
        var gate = Acquire(key);
        // One bound for the whole wait. Real time, not the injected clock: a frozen test clock must not freeze it
        // (the lease's expiry itself is the clock's).
        using var waitLimit = new CancellationTokenSource(MaxWait);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, waitLimit.Token);
        try
        {
            try
            {
                await gate.Semaphore.WaitAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (waitLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ConversationBusyException();
            }
            try
            {
                var owner = Guid.NewGuid().ToString("N");
                await LeaseAsync(customerId, conversationId, owner, waiting.Token, waitLimit.Token, cancellationToken);
                DatabaseConversationStore.HoldingLease(customerId, conversationId, owner);
                using var renewal = new CancellationTokenSource();
                var renewing = RenewAsync(customerId, conversationId, owner, renewal.Token);
                try
                {
                    return await turn();
                }
                finally
                {
                    await renewal.CancelAsync();
                    await renewing;
                    await ReleaseAsync(customerId, conversationId, owner);
                }
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
        finally
        {
            Release(key, gate);
        }
    }

    /// <summary>Renews the lease every <see cref="RenewEvery"/> (on the injected clock) until cancelled or lost.</summary>
    private async Task RenewAsync(string customerId, string conversationId, string owner, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (await store.RenewLeaseAsync(customerId, conversationId, owner, time.GetUtcNow() + LeaseDuration, cancellationToken)) continue;
                    logger.LogWarning("The lease on a conversation of customer {CustomerId} was lost while a message was answered; its state will not be saved.",
                        customerId);
                    return;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever failed, never the message: it is awaited after the reply was decided. The next tick
                    // tries again; the lease still has two thirds of its time (and the state write is fenced).
                    logger.LogWarning("Renewing a conversation lease of customer {CustomerId} failed ({Error}); retrying.", customerId, ex.GetType().Name);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The message was answered (a renewal cut short by it may fail in any way; it no longer matters).
        }
    }

    private async Task ReleaseAsync(string customerId, string conversationId, string owner)
    {
        try
        {
            await store.ReleaseLeaseAsync(customerId, conversationId, owner);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            // The message was answered; failing it now would lose the reply. The lease expires on its own.
            logger.LogWarning("Releasing a conversation lease of customer {CustomerId} failed ({Error}); it expires within {Seconds} s.",
                customerId, ex.GetType().Name, LeaseDuration.TotalSeconds);
        }
    }

    /// <param name="waiting">Cancelled when the caller gives up or <paramref name="waitLimit"/> passes.</param>
    private async Task LeaseAsync(string customerId, string conversationId, string owner, CancellationToken waiting,
        CancellationToken waitLimit, CancellationToken cancellationToken)
    {
        // Polled, not timed with the injected clock: this is a back-off between attempts, and a frozen test clock
        // must not freeze it. Never more than half a second between attempts, so a dead holder's expired lease is
        // taken within about LeaseDuration.
        var pause = TimeSpan.FromMilliseconds(50);
        try
        {
            while (!await store.TryLeaseAsync(customerId, conversationId, owner, time.GetUtcNow() + LeaseDuration, waiting))
            {
                await Task.Delay(pause, waiting);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            }
        }
        catch (OperationCanceledException) when (waitLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ConversationBusyException();
        }
    }

    // A gate lives while someone holds or waits for it, so idle conversations cost no memory.
    private Gate Acquire((string, string) key)
    {
        while (true)
        {
            var gate = _gates.GetOrAdd(key, _ => new Gate());
            lock (gate)
            {
                if (gate.Users >= 0)
                {
                    gate.Users++;
                    return gate;
                }
            }
            // That gate was just retired; take the next one.
        }
    }

    private void Release((string, string) key, Gate gate)
    {
        lock (gate)
        {
            if (--gate.Users > 0) return;
            gate.Users = -1; // retired: a late Acquire will create a fresh one
            _gates.TryRemove(new KeyValuePair<(string, string), Gate>(key, gate));
        }
    }

    private sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users;
    }
}
