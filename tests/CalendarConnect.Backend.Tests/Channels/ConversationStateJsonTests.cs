using System.Text.Json;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>ConversationStateJson: what the backend stores for a conversation, read back by this or another version.</summary>
public class ConversationStateJsonTests
{
    private static readonly ConversationState Full = new(
        Language.English,
        PendingDate: new LocalDate(2025, 1, 16),
        PendingTime: new LocalTime(15, 30),
        Proposal: new ProposedAppointment(new OffsetDateTime(new LocalDateTime(2025, 1, 16, 15, 0), Offset.FromHours(-3)), 45),
        AwaitingName: true,
        PersonName: "Ana María O'Neil \"la jefa\" <b>",
        Appointments: [new RememberedAppointment("evt-1", new LocalDateTime(2025, 1, 20, 9, 0)), new RememberedAppointment("evt-2", new LocalDateTime(2025, 2, 1, 17, 0))],
        BookingsMade: 3,
        CancelEventId: "evt-2");

    [Fact]
    public void Every_member_survives_a_round_trip()
    {
        var back = ConversationStateJson.Deserialize(ConversationStateJson.Serialize(Full));
        Assert.Equal(Full with { Appointments = null }, back with { Appointments = null });
        Assert.Equal(Full.Booked, back.Booked);

        var empty = new ConversationState(Language.Spanish);
        Assert.Equal(empty, ConversationStateJson.Deserialize(ConversationStateJson.Serialize(empty)));
    }

    [Fact]
    public void The_json_is_snake_case_iso_and_holds_no_computed_members()
    {
        using var json = JsonDocument.Parse(ConversationStateJson.Serialize(Full));
        var root = json.RootElement;
        Assert.Equal("english", root.GetProperty("language").GetString());
        Assert.Equal("2025-01-16", root.GetProperty("pending_date").GetString());
        Assert.Equal("15:30:00", root.GetProperty("pending_time").GetString());
        Assert.Equal("2025-01-16T15:00:00-03:00", root.GetProperty("proposal").GetProperty("start").GetString());
        Assert.Equal(45, root.GetProperty("proposal").GetProperty("duration_minutes").GetInt32());
        Assert.Equal("2025-01-20T09:00:00", root.GetProperty("appointments")[0].GetProperty("start").GetString());
        Assert.False(root.TryGetProperty("booked", out _));                               // computed from appointments
        Assert.False(root.GetProperty("proposal").TryGetProperty("date", out _));         // computed from start
        Assert.False(root.GetProperty("proposal").TryGetProperty("time_of_day", out _));
        // Nulls are left out: a fresh state is small (whatever members later versions append).
        using var fresh = JsonDocument.Parse(ConversationStateJson.Serialize(new ConversationState(Language.Spanish)));
        Assert.Equal("spanish", fresh.RootElement.GetProperty("language").GetString());
        Assert.All(fresh.RootElement.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind));
        Assert.False(fresh.RootElement.TryGetProperty("pending_date", out _));
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
        Assert.Equal(new LocalDate(2025, 3, 1), state.PendingDate);
        Assert.Equal(60, state.Proposal!.DurationMinutes);
        Assert.False(state.AwaitingName);
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
