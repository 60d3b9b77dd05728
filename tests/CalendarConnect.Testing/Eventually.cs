namespace CalendarConnect.Testing;

/// <summary>
/// Waits for something asynchronous (a background sync, a notification) to become true, checking often, and fails with
/// what was awaited when it does not happen within a generous bound. A wait for a condition, never a sleep.
/// </summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still not true after {(within ?? TimeSpan.FromSeconds(30)).TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }
}
