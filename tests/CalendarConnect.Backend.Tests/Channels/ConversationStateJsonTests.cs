using System.Text.Json;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Llm;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>ConversationStateJson: what the backend stores for a conversation, read back by this or another version.</summary>
public class ConversationStateJsonTests
{
    /// <summary>Every member of the state, and of every record inside it, set to a value that is not its default.</summary>
    private static readonly ConversationState Full = new(Language.English)
    {
        Topic = new Proposing(new ProposedAppointment(new OffsetDateTime(new LocalDateTime(2025, 1, 16, 15, 0), Offset.FromHours(-3)), 45), "evt-1",
            PickedFrom: [new LocalDateTime(2025, 1, 16, 15, 0), new LocalDateTime(2025, 1, 16, 17, 0)]),
        Discussed = new DiscussedTime(new LocalDate(2025, 1, 16), new LocalTime(15, 30), PartOfDay.Evening, TimeAmbiguous: true,
            new TimeRange(new LocalTime(15, 0), new LocalTime(18, 0), MeridiemAssumed: true)),
        PersonName = "Ana María O'Neil \"la jefa\" <b>",
        Appointments = [new RememberedAppointment("evt-1", new LocalDateTime(2025, 1, 20, 9, 0)), new RememberedAppointment("evt-2", new LocalDateTime(2025, 2, 1, 17, 0))],
        BookingsMade = 3,
        Llm = new LlmMemory(
            Exchanges: [new LlmExchange("¿y el viernes?", "El viernes 17 de enero a las 10:00 está disponible."), new LlmExchange("yes", "Done.")]),
    };

    /// <summary>Offered times, the one topic whose data is a list.</summary>
    private static readonly ConversationState Offering = Full with
    {
        Topic = new OfferingChoices([new LocalDateTime(2025, 1, 16, 16, 0), new LocalDateTime(2025, 1, 17, 10, 30)], "evt-1"),
    };

    [Fact]
    public void Every_member_survives_a_round_trip()
    {
        var back = ConversationStateJson.Deserialize(ConversationStateJson.Serialize(Full));

        Assert.Equal(Full.Language, back.Language);
        var (proposing, proposingBack) = ((Proposing)Full.Topic!, Assert.IsType<Proposing>(back.Topic));
        Assert.Equal(proposing with { PickedFrom = null }, proposingBack with { PickedFrom = null });
        Assert.Equal(proposing.PickedFrom!, proposingBack.PickedFrom!);    // element by element, as below
        Assert.Equal(Full.Discussed, back.Discussed);
        Assert.Equal(Full.PersonName, back.PersonName);
        Assert.Equal(Full.Appointments!, back.Appointments!);          // element by element: lists compare by reference
        Assert.Equal(Full.BookingsMade, back.BookingsMade);
        Assert.NotNull(back.Llm);
        Assert.Equal(Full.Llm!.Exchanges!, back.Llm.Exchanges!);
        // The offsets are kept as written, not only the instants: a proposal is sent back to the server as it came.
        Assert.Equal(Offset.FromHours(-3), Assert.IsType<Proposing>(back.Topic).Proposal.Start.Offset);
        Assert.Equal(((OfferingChoices)Offering.Topic).Offered,
            Assert.IsType<OfferingChoices>(ConversationStateJson.Deserialize(ConversationStateJson.Serialize(Offering)).Topic).Offered);

        var empty = new ConversationState(Language.Spanish);
        Assert.Equal(empty, ConversationStateJson.Deserialize(ConversationStateJson.Serialize(empty)));
    }

    /// <summary>
    /// The guard for members added later: every persisted member (a constructor parameter or a settable property) of
    /// the state and of every record it holds must be set in <see cref="Full"/> to a non-default value, and come back
    /// equal. A new member that is not stored (even one marked [JsonIgnore]), or is stored but not read back, fails here
    /// with its path. Computed members (no constructor parameter, no setter) are not stored and are skipped.
    /// </summary>
    [Fact]
    public void Every_persisted_member_found_by_reflection_is_set_in_the_test_state_and_round_trips()
    {
        var visited = new List<string>();
        AssertSameMembers(Full, ConversationStateJson.Deserialize(ConversationStateJson.Serialize(Full)), nameof(ConversationState), visited);
        AssertSameMembers(Offering, ConversationStateJson.Deserialize(ConversationStateJson.Serialize(Offering)), nameof(ConversationState), visited);
        // The walk reached the records nested in lists, in the topic and in the LLM memory, so the guard covers them too.
        Assert.Contains("ConversationState.Llm.Exchanges[1].Assistant", visited);
        Assert.Contains("ConversationState.Appointments[1].Start", visited);
        Assert.Contains("ConversationState.Topic.Proposal.Start", visited);
        Assert.Contains("ConversationState.Topic.Offered[1]", visited);
        Assert.Contains("ConversationState.Topic.PickedFrom[1]", visited);
        Assert.Contains("ConversationState.Discussed.TimeAmbiguous", visited);
    }

    private static void AssertSameMembers(object expected, object actual, string path, List<string> visited)
    {
        var type = expected.GetType();
        Assert.Equal(type, actual.GetType());
        var parameters = type.GetConstructors().SelectMany(c => c.GetParameters())
            .GroupBy(p => p.Name!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var persisted = type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Where(p => parameters.ContainsKey(p.Name) || p.SetMethod is { IsPublic: true })
            .ToList();
        Assert.NotEmpty(persisted);
        foreach (var property in persisted)
        {
            var memberPath = $"{path}.{property.Name}";
            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            // Not the type's default nor the constructor's: a member lost in the JSON reads back as one of those.
            Assert.True(!IsDefault(want, property.PropertyType)
                        && !(parameters.TryGetValue(property.Name, out var parameter) && parameter.HasDefaultValue && Equals(want, parameter.DefaultValue)),
                $"{memberPath} is not set in the test state: give it a non-default value so its round trip is checked.");
            AssertSameValue(want, got, memberPath, visited);
        }
    }

    private static void AssertSameValue(object? want, object? got, string path, List<string> visited)
    {
        visited.Add(path);
        Assert.True(got is not null, $"{path} was lost in the round trip.");
        if (want is string || want!.GetType().IsValueType)
        {
            Assert.True(Equals(want, got), $"{path} came back as {got}, not {want}.");
            return;
        }
        if (want is System.Collections.IEnumerable items)
        {
            var wanted = items.Cast<object?>().ToList();
            var gotten = ((System.Collections.IEnumerable)got!).Cast<object?>().ToList();
            Assert.True(wanted.Count > 0, $"{path} is empty in the test state: give it an element so its round trip is checked.");
            Assert.True(wanted.Count == gotten.Count, $"{path} came back with {gotten.Count} elements, not {wanted.Count}.");
            for (var i = 0; i < wanted.Count; i++) AssertSameValue(wanted[i], gotten[i], $"{path}[{i}]", visited);
            return;
        }
        AssertSameMembers(want, got!, path, visited);
    }

    /// <summary>Null, or a non-nullable value type's default (false, 0, the first enum value): what a missing member reads as.</summary>
    private static bool IsDefault(object? value, Type declared) =>
        value is null || (declared.IsValueType && Nullable.GetUnderlyingType(declared) is null && Equals(value, Activator.CreateInstance(declared)));

    [Fact]
    public void The_json_is_snake_case_iso_and_holds_no_computed_members()
    {
        using var json = JsonDocument.Parse(ConversationStateJson.Serialize(Full));
        var root = json.RootElement;
        Assert.Equal("english", root.GetProperty("language").GetString());
        Assert.Equal("2025-01-16", root.GetProperty("discussed").GetProperty("date").GetString());
        Assert.Equal("15:30:00", root.GetProperty("discussed").GetProperty("time").GetString());
        var topic = root.GetProperty("topic");
        Assert.Equal("proposing", topic.GetProperty("kind").GetString());
        Assert.Equal("2025-01-16T15:00:00-03:00", topic.GetProperty("proposal").GetProperty("start").GetString());
        Assert.Equal(45, topic.GetProperty("proposal").GetProperty("duration_minutes").GetInt32());
        Assert.False(topic.TryGetProperty("event_being_moved", out _));                 // computed from the topic
        Assert.Equal("2025-01-20T09:00:00", root.GetProperty("appointments")[0].GetProperty("start").GetString());
        Assert.False(root.TryGetProperty("booked", out _));                               // computed from appointments
        Assert.False(topic.GetProperty("proposal").TryGetProperty("date", out _));         // computed from start
        Assert.False(topic.GetProperty("proposal").TryGetProperty("time_of_day", out _));
        // Nulls are left out: a fresh state is small (whatever members later versions append).
        using var fresh = JsonDocument.Parse(ConversationStateJson.Serialize(new ConversationState(Language.Spanish)));
        Assert.Equal("spanish", fresh.RootElement.GetProperty("language").GetString());
        Assert.All(fresh.RootElement.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind));
        Assert.False(fresh.RootElement.GetProperty("discussed").TryGetProperty("date", out _));
        Assert.False(fresh.RootElement.TryGetProperty("appointments", out _));
    }

    [Fact]
    public void Unknown_members_are_skipped_and_missing_ones_take_their_defaults()
    {
        // A newer version's member and a member an older version never wrote.
        var state = ConversationStateJson.Deserialize("""
            {"language":"english","pending_date":"2025-03-01","mood":"happy","proposal":{"start":"2025-03-01T10:00:00-03:00","duration_minutes":60,"room":7}}
            """);
        Assert.Equal(Language.English, state.Language);
        Assert.Equal(new LocalDate(2025, 3, 1), state.Discussed.Date);
        Assert.Equal(60, Assert.IsType<Proposing>(state.Topic).Proposal.DurationMinutes);
        Assert.Empty(state.Booked);
        Assert.Equal(0, state.BookingsMade);

        Assert.Equal(Language.Spanish, ConversationStateJson.Deserialize("{}").Language);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"language":"klingon"}""")]
    [InlineData("""{"language":1}""")]
    [InlineData("""{"pending_date":"2025-02-30"}""")]
    [InlineData("""{"pending_time":"25:00:00"}""")]
    [InlineData("""{"proposal":{"start":"tomorrow","duration_minutes":60}}""")]
    [InlineData("""{"appointments":{"not":"a list"}}""")]
    [InlineData("""{"bookings_made":"many"}""")]
    public void Unreadable_state_is_a_json_exception_and_try_gives_null(string json)
    {
        Assert.Throws<JsonException>(() => ConversationStateJson.Deserialize(json));
        Assert.Null(ConversationStateJson.TryDeserialize(json));
    }

    [Fact]
    public void Absurd_nesting_is_refused_not_followed()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        Assert.Null(ConversationStateJson.TryDeserialize("""{"appointments":""" + deep + "}"));
    }
}
