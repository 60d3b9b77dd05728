using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// The appointments a conversation remembers stay bounded: those that have started are dropped when the next one is
/// booked or moved, and at most <see cref="ConversationState.MaxRemembered"/> are kept, also from state stored before.
/// </summary>
public sealed class RememberedAppointmentsTests : FakeCalendarTest
{
    [Fact]
    public void Remembering_drops_appointments_that_started_and_keeps_the_latest_bookings_up_to_the_bound()
    {
        var now = new LocalDateTime(2025, 1, 15, 10, 0);
        var booked = Enumerable.Range(0, ConversationState.MaxRemembered + 5)
            .Select(i => new RememberedAppointment($"evt-{i}", now.PlusHours(i - 3)))
            .ToList();

        var state = new ConversationState(Language.Spanish).Remembering(booked, now);

        Assert.Equal(ConversationState.MaxRemembered, state.Booked.Count);
        Assert.Equal("evt-5", state.Booked[0].EventId);
        Assert.Equal($"evt-{ConversationState.MaxRemembered + 4}", state.Booked[^1].EventId);
        Assert.All(state.Booked, a => Assert.True(a.Start >= now));
    }

    [Fact]
    public void A_stored_conversation_with_more_appointments_than_the_bound_loads_with_the_latest()
    {
        var many = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"event_id":"evt-{{i}}","start":"2025-01-{{10 + i % 20:00}}T10:00:00"}"""));

        var legacy = ConversationStateJson.Deserialize($$"""{"language":"spanish","appointments":[{{many}}]}""");
        var current = ConversationStateJson.Deserialize($$"""{"language":"spanish","topic":{"kind":"idle"},"appointments":[{{many}}]}""");

        Assert.Equal(ConversationState.MaxRemembered, legacy.Booked.Count);
        Assert.Equal("evt-30", legacy.Booked[0].EventId);
        Assert.Equal(legacy.Booked, current.Booked);
    }

    [Fact]
    public async Task A_booking_forgets_remembered_appointments_that_have_passed()
    {
        await Services.GetRequiredService<IConversationStore>().SetAsync(Company, "conv-1", new ConversationState(Language.Spanish)
        {
            PersonName = "Ana",
            Appointments = [new RememberedAppointment("evt-past", new LocalDateTime(2025, 1, 14, 15, 0)), new RememberedAppointment("evt-next", new LocalDateTime(2025, 1, 20, 9, 0))],
        }, TestContext.Current.CancellationToken);
        await Say("mañana a las 15");
        await Say("sí");

        var listed = await Say("¿cuándo es mi turno?");

        Assert.Equal("Tus turnos son el jueves 16 de enero a las 15:00 y el lunes 20 de enero a las 09:00.", listed.Reply);
    }
}
