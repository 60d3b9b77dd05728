using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// <see cref="ConversationState"/> as JSON, for stores that keep conversations outside the process (the backend's
/// database). snake_case members, NodaTime values in ISO form ("2025-01-16", "15:00:00", "2025-01-16T15:00:00-03:00"),
/// enums by name.
/// </summary>
/// <remarks>
/// <para>The topic is written with a "kind" member ("proposing", "awaiting_name"...). JSON without a topic was written
/// before topics existed (flags such as awaiting_name, cancel_event_id, offered side by side): it is read in that shape
/// and resumes on the topic those flags meant (see <see cref="LegacyConversationState"/>).</para>
/// <para>Written by one version of the assistant and read by another (a rolling deploy, a restart after an upgrade), so
/// reading is tolerant: unknown members are skipped and missing ones take the record's defaults. Only what the
/// record's constructor or setters accept is written: computed members such as <see cref="ConversationState.Booked"/>
/// would be dead weight that a later version could misread.</para>
/// </remarks>
public static class ConversationStateJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The member only the current shape has: JSON without it was written before topics.</summary>
    private const string TopicMember = "topic";

    public static string Serialize(ConversationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.Serialize(state, Options);
    }

    /// <exception cref="JsonException">The text is not a conversation state this version can read.</exception>
    public static ConversationState Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Options.MaxDepth });
            var root = document.RootElement;
            // Stored before topics existed: read the old flags and resume on the topic they meant.
            var state = root.ValueKind == JsonValueKind.Object && !root.TryGetProperty(TopicMember, out _)
                ? (root.Deserialize<LegacyConversationState>(Options) ?? throw new JsonException("The stored conversation state is null.")).ToState()
                : root.Deserialize<ConversationState>(Options) ?? throw new JsonException("The stored conversation state is null.");
            // Stored before appointments were bounded: held to the bound (the clock trims those passed at the next write).
            return state.Booked.Count > ConversationState.MaxRemembered ? state.Remembering(state.Booked) : state;
        }
        catch (JsonException ex) when (ex.GetType() != typeof(JsonException))
        {
            // The reader's own subclass for text that is not JSON at all: the same "unreadable" to callers.
            throw new JsonException("The stored conversation state is not JSON.", ex);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
        {
            // Converters report some malformed values with these; callers only need to know "unreadable".
            throw new JsonException("The stored conversation state cannot be read.", ex);
        }
    }

    /// <summary>Like <see cref="Deserialize"/>, without the exception: null when unreadable.</summary>
    public static ConversationState? TryDeserialize(string json)
    {
        try { return Deserialize(json); }
        catch (JsonException) { return null; }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = 16,
            // A topic's "kind" may come after its data if the JSON was rewritten by a tool that reorders members.
            AllowOutOfOrderMetadataProperties = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyConstructorAndSettableMembers } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.MakeReadOnly();
        return options;
    }

    private static void OnlyConstructorAndSettableMembers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            var property = typeInfo.Properties[i];
            if (property.Set is null && property.AssociatedParameter is null) typeInfo.Properties.RemoveAt(i);
        }
    }
}
