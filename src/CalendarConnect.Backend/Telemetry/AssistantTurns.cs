using System.Diagnostics;
using CalendarConnect.Infrastructure.Telemetry;
using static CalendarConnect.Infrastructure.Telemetry.TelemetryNames;

namespace CalendarConnect.Backend.Telemetry;

/// <summary>
/// The assistant's activity source (<see cref="TelemetryNames.AssistantSource"/>): one span per message answered, under
/// the request or WhatsApp work that carried it, and above the HTTP calls to the MCP server the answer needed. Its
/// attributes are the company id, the channel and the outcome: never the message, the reply, a name or a phone number.
/// </summary>
public static class AssistantTurns
{
    private static readonly ActivitySource Source = new(AssistantSource);

    /// <summary>The turn's span, or null when no one listens (telemetry off): then nothing is allocated.</summary>
    public static Activity? Start(string customerId, string channel)
    {
        var activity = Source.StartActivity(AssistantTurnSpan, ActivityKind.Internal);
        activity?.SetTag(Tags.CompanyId, customerId).SetTag(Tags.Channel, channel);
        return activity;
    }

    public static void End(Activity? turn, string outcome, Exception? failure = null)
    {
        if (turn is null) return;
        turn.SetTag(Tags.Outcome, outcome);
        // The failure's type only: an exception's message may carry what the customer wrote.
        if (failure is not null) turn.SetStatus(ActivityStatusCode.Error, failure.GetType().Name).SetTag(Tags.ErrorType, failure.GetType().FullName);
    }
}
