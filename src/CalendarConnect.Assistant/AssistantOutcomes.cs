using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant;

/// <summary>
/// What one answered message came to, for telemetry (<see cref="AssistantReply.Outcome"/>): read from how the
/// conversation changed, the same way in rule mode and LLM mode, so it is what happened, not what the reply's words say.
/// </summary>
public static class AssistantOutcomes
{
    /// <summary>An appointment was booked.</summary>
    public const string Booked = "booked";

    /// <summary>An appointment was moved to another time.</summary>
    public const string Moved = "moved";

    /// <summary>An appointment was cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A time was proposed, or free times offered to pick from: a yes or a pick is awaited.</summary>
    public const string Proposed = "proposed";

    /// <summary>The customer was asked something back: their name, which appointment, a new time, to confirm a cancellation.</summary>
    public const string AskedBack = "asked_back";

    /// <summary>The customer said no to what was asked.</summary>
    public const string Declined = "declined";

    /// <summary>Anything else answered (availability, their appointment, help, a greeting, the calendar being unavailable…).</summary>
    public const string Answered = "answered";

    public static string Of(ConversationState before, ConversationState after, AssistantReply reply)
    {
        var had = before.Booked.ToDictionary(a => a.EventId, a => a.Start, StringComparer.Ordinal);
        var has = after.Booked.ToDictionary(a => a.EventId, a => a.Start, StringComparer.Ordinal);
        if (has.Keys.Any(id => !had.ContainsKey(id))) return Booked;
        if (has.Any(a => had.TryGetValue(a.Key, out var start) && start != a.Value)) return Moved;
        // Only a cancellation forgets an appointment without booking or moving one (past ones are dropped on those).
        if (had.Keys.Any(id => !has.ContainsKey(id))) return Cancelled;
        return after.Topic switch
        {
            Proposing or OfferingChoices { Offered.Count: > 0 } => Proposed,
            AwaitingName or ChoosingAppointment or Moving or ConfirmingCancellation => AskedBack,
            _ when reply.Intent == Intent.Decline.Code() => Declined,
            _ => Answered,
        };
    }
}
