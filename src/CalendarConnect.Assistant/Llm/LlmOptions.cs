using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Assistant.Llm;

/// <summary>
/// The optional LLM mode: an OpenAI-compatible chat endpoint that answers the company's customers with the company's
/// MCP tools as functions. Off unless <c>ASSISTANT_LLM_ENDPOINT</c> is set; the rule-based assistant is then the only one.
/// The <c>ASSISTANT_LLM_*</c> variables are bound by the configuration binder, each read once, and validated at start-up
/// by <see cref="LlmOptionsValidator"/>; the limits are not settings.
/// </summary>
public sealed class LlmOptions : IValidatableObject
{
    public const string EndpointKey = "ASSISTANT_LLM_ENDPOINT";
    public const string ModelKey = "ASSISTANT_LLM_MODEL";
    public const string ApiKeyKey = "ASSISTANT_LLM_API_KEY";
    public const string TimeoutKey = "ASSISTANT_LLM_TIMEOUT_SECONDS";

    public const int DefaultTimeoutSeconds = 20;
    public const int MaxTimeoutSeconds = 300;

    /// <summary>OpenAI-compatible base URL (<c>ASSISTANT_LLM_ENDPOINT</c>), e.g. http://localhost:11434/v1; null or empty: LLM mode off.</summary>
    [ConfigurationKeyName(EndpointKey)]
    public string? Endpoint { get; set; }

    /// <summary>Model name sent with every request (<c>ASSISTANT_LLM_MODEL</c>); required when the endpoint is set.</summary>
    [ConfigurationKeyName(ModelKey)]
    public string? Model { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer …</c> (<c>ASSISTANT_LLM_API_KEY</c>); none is sent when empty (Ollama, vLLM).</summary>
    [ConfigurationKeyName(ApiKeyKey)]
    public string? ApiKey { get; set; }

    /// <summary>The raw <c>ASSISTANT_LLM_TIMEOUT_SECONDS</c>, kept as text so a typo is reported by name at start-up.</summary>
    [ConfigurationKeyName(TimeoutKey)]
    public string? TimeoutSecondsText { get; set; }

    /// <summary>
    /// Rounds of model requests per customer message (the first request, plus one per batch of tool calls). A model
    /// that still wants tools after that has lost its way: the rule-based assistant answers instead.
    /// </summary>
    public int MaxToolRounds { get; } = 6;

    /// <summary>Longest reply passed on to the customer (a chat message, not an essay); longer model text is cut at a word.</summary>
    public int MaxReplyCharacters { get; } = 1000;

    /// <summary>Upper bound on the tokens the model may generate per request.</summary>
    public int MaxOutputTokens { get; } = 600;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>Budget for the model's whole answer to one message, tool calls included; past it the rules answer.</summary>
    public TimeSpan Timeout =>
        TimeSpan.FromSeconds(string.IsNullOrWhiteSpace(TimeoutSecondsText)
            ? DefaultTimeoutSeconds
            : int.Parse(TimeoutSecondsText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture));

    public Uri EndpointUri => new(Endpoint!.Trim());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Problem() is { } problem) yield return new(problem);
    }

    /// <summary>The one-line problem with these settings, naming the variable, or null when they are usable (or LLM mode is off).</summary>
    private string? Problem()
    {
        if (!Enabled) return null;
        // The URL itself is not repeated: a base URL may carry credentials in its user-info part.
        if (!Uri.TryCreate(Endpoint!.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return $"{EndpointKey} must be an absolute http(s) URL of an OpenAI-compatible API, such as https://api.openai.com/v1 or http://localhost:11434/v1.";
        if (string.IsNullOrWhiteSpace(Model))
            return $"{ModelKey} is not set: LLM mode ({EndpointKey} is set) needs the model name, e.g. gpt-4o-mini or llama3.1.";
        if (Model.Any(char.IsControl))
            return $"{ModelKey} contains control characters.";
        if (ApiKey is { Length: > 0 } key && (key.Any(char.IsControl) || key.Trim().Length != key.Length))
            return $"{ApiKeyKey} contains control characters or surrounding spaces.";
        if (!string.IsNullOrWhiteSpace(TimeoutSecondsText)
            && (!int.TryParse(TimeoutSecondsText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxTimeoutSeconds))
            return $"{TimeoutKey} must be a whole number of seconds from 1 to {MaxTimeoutSeconds}, not '{TimeoutSecondsText}'.";
        return null;
    }
}

/// <summary>Start-up validation of <see cref="LlmOptions"/>, generated from its own checks.</summary>
[OptionsValidator]
internal sealed partial class LlmOptionsValidator : IValidateOptions<LlmOptions>;
