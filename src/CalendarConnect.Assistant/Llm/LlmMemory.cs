namespace CalendarConnect.Assistant.Llm;

/// <summary>
/// What the LLM mode keeps in <see cref="Conversations.ConversationState"/> beyond what the rule-based assistant
/// keeps: the last exchanges, whichever engine answered them. What is proposed or asked is the conversation's topic,
/// shared by both engines. Plain records of strings, so the backend's JSON persistence stores it like the rest of the state.
/// </summary>
/// <param name="Exchanges">The most recent exchanges, oldest first, at most <see cref="MaxExchanges"/>.</param>
public sealed record LlmMemory(IReadOnlyList<LlmExchange>? Exchanges = null)
{
    /// <summary>Enough context for "¿y el viernes?" without sending (and storing) a whole chat every time.</summary>
    public const int MaxExchanges = 8;

    /// <summary>Per text: a customer's message or a reply longer than this is kept cut; the model needs the gist.</summary>
    public const int MaxTextLength = 600;

    /// <summary>Computed, not stored: <see cref="Exchanges"/> is what is persisted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<LlmExchange> History => Exchanges ?? [];

    /// <summary>This memory with one more exchange, the oldest dropped past <see cref="MaxExchanges"/>, each text capped.</summary>
    public LlmMemory Remember(string? customerText, string reply) =>
        this with
        {
            Exchanges = History.Append(new LlmExchange(Cap(customerText ?? ""), Cap(reply))).TakeLast(MaxExchanges).ToList(),
        };

    private static string Cap(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";
}

/// <summary>One customer message and the reply it got.</summary>
public sealed record LlmExchange(string Customer, string Assistant);
