namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// <see cref="AssistantReply.Offered"/>: every free start a reply offers, whatever its day, and exactly the list a
/// following "the second one" or "sí" picks from.
/// </summary>
public sealed class OfferedTimesTests : FakeCalendarTest
{
    [Fact]
    public async Task A_days_free_times_are_offered_and_can_be_picked_from()
    {
        Calendar.BusyHours["2025-01-16"] = [9, 10, 11, 12, 13, 14];

        var listed = await Say("¿qué horarios tienen mañana?");
        var picked = await Say("la segunda");

        Assert.Equal(["2025-01-16T15:00", "2025-01-16T16:00", "2025-01-16T17:00"], listed.Offered);
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", picked.Reply);
        Assert.Empty(picked.Offered);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task The_nearest_free_times_instead_of_a_busy_one_are_offered()
    {
        Calendar.BusyHours["2025-01-16"] = [15];

        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        Assert.Equal(["2025-01-16T14:00", "2025-01-16T16:00"], reply.Offered);
    }

    [Fact]
    public async Task The_next_free_times_are_offered_with_their_days()
    {
        Calendar.Now = "2025-01-15T16:30:00-03:00";

        var reply = await Say("¿cuál es el próximo turno libre?");

        Assert.Equal(["2025-01-15T17:00", "2025-01-16T09:00", "2025-01-16T10:00"], reply.Offered);
    }

    [Fact]
    public async Task The_alternatives_of_a_refused_booking_are_offered_and_a_yes_proposes_the_only_one()
    {
        await Say("I'd like to book tomorrow at 5 PM");
        Calendar.BusyHours["2025-01-16"] = [17];
        Calendar.AlternativesOnRefusal.AddRange(["2025-01-17T09:00:00-03:00"]);
        await Say("yes");

        var refused = await Say("John");
        var proposed = await Say("yes");

        Assert.Equal(["2025-01-17T09:00"], refused.Offered);
        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Friday, January 17 at 9:00 AM?", proposed.Reply);
        Assert.Single(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_reply_that_offers_nothing_has_an_empty_list()
    {
        var greeting = await Say("hola");
        var proposal = await Say("mañana a las 10");

        Assert.Empty(greeting.Offered);
        Assert.Empty(proposal.Offered);
        Assert.Contains("\"offered\":[]", System.Text.Json.JsonSerializer.Serialize(greeting));
    }
}
