using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// The one rule both engines (the rules and the LLM mode) apply before any write: the customer's latest message is an
/// explicit yes to what the previous reply proposed, or the name asked for right after that yes.
/// </summary>
internal static class ExplicitYes
{
    /// <summary>"Sí", "dale", "yes": the parser's <see cref="Intent.Confirm"/>, nothing looser.</summary>
    public static bool IsYes(ParsedMessage parsed) => parsed.Intent == Intent.Confirm;

    /// <summary>
    /// The name a message gives when the customer said yes and was asked for one: only a message that says nothing
    /// else ("hola", "sí" or "no" is not a name), and not a retraction ("espera", "mejor otro día").
    /// </summary>
    public static string? NameAfterYes(Topic topic, ParsedMessage parsed, string? text) =>
        topic is AwaitingName && parsed.Intent == Intent.Other && !PersonName.IsRetraction(text) ? PersonName.Read(text) : null;
}
