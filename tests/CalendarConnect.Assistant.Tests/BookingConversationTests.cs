using CalendarConnect.Assistant.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Assistant.Tests;

/// <summary>Booking, confirming, cancelling and "when is my appointment" through the fake MCP server's booking tools.</summary>
public sealed class BookingConversationTests : FakeCalendarTest
{
    private const string Spec = "Quiero reservar para mañana a las 3 PM";

    private List<ReceivedCall> Bookings => Calendar.CallsOf("book_appointment").ToList();

    private async Task<AssistantReply> BookAsAna(string conversation = "conv-1")
    {
        await Say(Spec, conversation);
        await Say("Sí", conversation);
        return await Say("Ana", conversation);
    }

    [Fact]
    public async Task Yes_asks_the_name_then_books_the_proposed_slot_once()
    {
        await Say(Spec);
        var ask = await Say("Sí");

        Assert.Equal("¿A nombre de quién hago la reserva?", ask.Reply);
        Assert.Empty(Bookings);

        var done = await Say("Ana");

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", done.Reply);
        Assert.Equal(("confirm", "2025-01-16", "15:00", (bool?)true), (done.Intent, done.DateIso, done.TimeLocal, done.Available));
        var call = Assert.Single(Bookings);
        Assert.Equal(Company, call.CustomerId);
        Assert.Equal("2025-01-16T15:00:00-03:00", call.Arguments!["start_iso"]);
        Assert.Equal("Ana", call.Arguments["customer_name"]);
        Assert.Equal("60", call.Arguments["duration_minutes"]);
        Assert.StartsWith("assistant-", call.Arguments["idempotency_key"]);
        Assert.Single(Calendar.Appointments);
    }

    [Theory]
    [InlineData("Me llamo ana garcía", "Ana García")]
    [InlineData("Soy María del Carmen", "María del Carmen")]
    [InlineData("my name is John O'Neil", "John O'Neil")]
    public async Task The_name_is_read_from_a_sentence(string answer, string expected)
    {
        await Say(Spec);
        await Say("dale");
        await Say(answer);

        Assert.Equal(expected, Assert.Single(Bookings).Arguments!["customer_name"]);
    }

    [Theory]
    [InlineData("hola")]
    [InlineData("sí")]
    [InlineData("123456")]
    [InlineData("<script>")]
    public async Task Something_that_is_not_a_name_asks_again_and_books_nothing(string answer)
    {
        await Say(Spec);
        await Say("si");
        var again = await Say(answer);

        Assert.Equal(ReplyTexts.NameNotUnderstood(Understanding.Language.Spanish), again.Reply);
        Assert.Empty(Bookings);
        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", (await Say("Ana")).Reply);
    }

    [Fact]
    public async Task A_known_name_is_not_asked_again()
    {
        await BookAsAna();
        await Say("¿y el viernes a las 10?");
        var done = await Say("confirmo");

        Assert.Equal("Listo, reservé tu turno para el viernes 17 de enero a las 10:00. ¡Te esperamos!", done.Reply);
        Assert.Equal(2, Bookings.Count);
        Assert.All(Bookings, b => Assert.Equal("Ana", b.Arguments!["customer_name"]));
        Assert.NotEqual(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
    }

    [Fact]
    public async Task A_second_yes_after_the_booking_books_nothing_more()
    {
        await BookAsAna();
        var again = await Say("sí");

        Assert.Equal("Tu turno ya está reservado para el jueves 16 de enero a las 15:00. ¡Te esperamos!", again.Reply);
        Assert.Single(Bookings);
    }

    [Fact]
    public async Task A_lost_answer_is_asked_again_with_the_same_key_and_the_customer_is_told_it_is_booked()
    {
        Calendar.LoseNextBookingAnswers = 1;
        await Say(Spec);
        await Say("Sí");
        var named = await Say("Ana");

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", named.Reply);
        Assert.Equal(2, Bookings.Count);
        Assert.Equal(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
        Assert.Equal("Ana", Bookings[1].Arguments!["customer_name"]);
        Assert.Single(Calendar.Appointments);

        // Remembered as booked: a second yes books nothing more.
        Assert.StartsWith("Tu turno ya está reservado", (await Say("sí")).Reply);
        Assert.Equal(2, Bookings.Count);
    }

    [Fact]
    public async Task The_same_start_in_another_conversation_gets_another_key()
    {
        await BookAsAna("a");
        await Say("cancelar mi turno", "a");
        await Say("sí", "a");
        await BookAsAna("b");

        Assert.Equal(2, Bookings.Count);
        Assert.NotEqual(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
        Assert.All(Bookings, b => Assert.True(b.Arguments!["idempotency_key"]!.Length <= 200));
    }

    [Theory]
    [InlineData("no")]
    [InlineData("No, gracias")]
    [InlineData("mejor no")]
    [InlineData("cancelar")]
    public async Task No_drops_the_proposal_and_books_nothing(string answer)
    {
        await Say(Spec);
        var reply = await Say(answer);
        var yesAfterwards = await Say("sí");

        Assert.Equal("De acuerdo, no reservé nada. ¿Quieres buscar otro día u horario?", reply.Reply);
        // "Sí" to "¿Quieres buscar otro día u horario?" is asked which; it does not bring the dropped proposal back.
        Assert.Equal(ReplyTexts.AskDate(null, Understanding.Language.Spanish), yesAfterwards.Reply);
        Assert.Empty(Bookings);
    }

    [Fact]
    public async Task No_while_the_name_is_asked_also_drops_it()
    {
        await Say(Spec);
        await Say("sí");
        var reply = await Say("no");

        Assert.Equal("De acuerdo, no reservé nada. ¿Quieres buscar otro día u horario?", reply.Reply);
        Assert.Empty(Bookings);
    }

    [Theory]
    [InlineData("hmm")]
    [InlineData("Hola")]
    [InlineData("quiero reservar")]
    public async Task Anything_else_keeps_asking(string answer)
    {
        await Say(Spec);
        var reply = await Say(answer);

        Assert.Equal("¿Confirmas la reserva para el jueves 16 de enero a las 15:00? Responde «sí» o «no».", reply.Reply);
        Assert.Empty(Bookings);
        await Say("sí");
        await Say("Ana");
        Assert.Single(Bookings);
    }

    [Fact]
    public async Task A_new_time_replaces_the_proposal()
    {
        await Say(Spec);
        await Say("¿y a las 4?");
        await Say("sí");
        await Say("Ana");

        Assert.Equal("2025-01-16T16:00:00-03:00", Assert.Single(Bookings).Arguments!["start_iso"]);
    }

    [Fact]
    public async Task A_slot_taken_at_booking_time_offers_the_servers_alternatives()
    {
        await Say(Spec);
        // Someone else took 15:00 between the check and the yes.
        Calendar.BusyHours["2025-01-16"] = [15];
        Calendar.AlternativesOnRefusal.AddRange(["2025-01-16T14:00:00-03:00", "2025-01-16T16:00:00-03:00"]);
        await Say("sí");
        var reply = await Say("Ana");

        Assert.Equal(
            "Lo siento, las 15:00 del jueves 16 de enero se acaban de ocupar, así que no quedó reservado. Los horarios libres más cercanos son 14:00 y 16:00. ¿Te sirve alguno?",
            reply.Reply);
        Assert.False(reply.Available);
        Assert.Equal(["14:00", "16:00"], reply.Alternatives);
        Assert.Empty(Calendar.Appointments);

        // "a las 4" now means that day at 16:00, and the name is remembered.
        await Say("a las 4");
        var done = await Say("sí");
        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 16:00. ¡Te esperamos!", done.Reply);
    }

    [Fact]
    public async Task Alternatives_on_other_days_are_named_with_their_day()
    {
        await Say("I'd like to book tomorrow at 5 PM");
        Calendar.BusyHours["2025-01-16"] = [17];
        Calendar.AlternativesOnRefusal.AddRange(["2025-01-17T09:00:00-03:00"]);
        await Say("yes");
        var reply = await Say("John");

        Assert.Equal(
            "Sorry, 5:00 PM on Thursday, January 16 was just taken, so it is not booked. The nearest free time is Friday, January 17 at 9:00 AM. Would that work?",
            reply.Reply);
        Assert.Empty(reply.Alternatives);
    }

    [Fact]
    public async Task Three_alternatives_to_a_refused_booking_are_asked_about_with_any_not_either()
    {
        await Say("I'd like to book tomorrow at 5 PM");
        Calendar.BusyHours["2025-01-16"] = [17];
        Calendar.AlternativesOnRefusal.AddRange(["2025-01-17T09:00:00-03:00", "2025-01-17T10:00:00-03:00", "2025-01-17T11:00:00-03:00"]);
        await Say("yes");
        var reply = await Say("John");

        Assert.Equal(
            "Sorry, 5:00 PM on Thursday, January 16 was just taken, so it is not booked. The nearest free times are Friday, January 17 at 9:00 AM, " +
            "10:00 AM and 11:00 AM. Would any of those work?",
            reply.Reply);
    }

    [Fact]
    public async Task English_booking()
    {
        await Say("I'd like to book tomorrow at 3 PM");
        var ask = await Say("yes");
        var done = await Say("my name is John Smith");

        Assert.Equal("What name should I put the booking under?", ask.Reply);
        Assert.Equal("Done: your appointment is booked for Thursday, January 16 at 3:00 PM.", done.Reply);
        Assert.Equal("John Smith", Assert.Single(Bookings).Arguments!["customer_name"]);
    }

    [Theory]
    [InlineData("sure")]
    [InlineData("ok")]
    [InlineData("confirm")]
    public async Task English_yes_words_confirm(string yes)
    {
        await Say("I'd like to book tomorrow at 3 PM");
        Assert.Equal("What name should I put the booking under?", (await Say(yes)).Reply);
    }

    [Fact]
    public async Task Cancel_asks_first_then_cancels_the_booked_event()
    {
        await BookAsAna();
        var eventId = Assert.Single(Calendar.Appointments).Key;

        var ask = await Say("Quiero cancelar mi turno");
        Assert.Equal("¿Confirmas que quieres cancelar tu turno del jueves 16 de enero a las 15:00? Responde «sí» o «no».", ask.Reply);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));

        var done = await Say("sí");

        Assert.Equal("Listo, cancelé tu turno del jueves 16 de enero a las 15:00.", done.Reply);
        Assert.Equal(eventId, Assert.Single(Calendar.CallsOf("cancel_appointment")).Arguments!["event_id"]);
        Assert.Empty(Calendar.Appointments);
        Assert.Equal(ReplyTexts.NoAppointment(Understanding.Language.Spanish), (await Say("¿cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task Each_reply_says_what_the_message_came_to_for_telemetry()
    {
        // AssistantReply.Outcome: read from how the conversation changed, never serialized.
        Assert.Equal(AssistantOutcomes.Answered, (await Say("hola")).Outcome);
        Assert.Equal(AssistantOutcomes.Proposed, (await Say(Spec)).Outcome);
        Assert.Equal(AssistantOutcomes.AskedBack, (await Say("Sí")).Outcome);
        Assert.Equal(AssistantOutcomes.Booked, (await Say("Ana")).Outcome);
        Assert.Equal(AssistantOutcomes.AskedBack, (await Say("cancelar mi turno")).Outcome);
        Assert.Equal(AssistantOutcomes.Declined, (await Say("no")).Outcome);
        await Say("cancelar mi turno");
        Assert.Equal(AssistantOutcomes.Cancelled, (await Say("sí")).Outcome);
        Assert.DoesNotContain("outcome", System.Text.Json.JsonSerializer.Serialize(await Say("hola")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task No_keeps_the_appointment()
    {
        await BookAsAna();
        await Say("cancelar mi turno");
        var kept = await Say("no");

        Assert.Equal("De acuerdo, tu turno del jueves 16 de enero a las 15:00 sigue reservado.", kept.Reply);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
        Assert.Single(Calendar.Appointments);
    }

    [Fact]
    public async Task Cancel_in_English()
    {
        await Say("I'd like to book tomorrow at 3 PM");
        await Say("yes");
        await Say("John");

        var ask = await Say("cancel my appointment");
        var done = await Say("yes");

        Assert.Equal("Do you want me to cancel your appointment on Thursday, January 16 at 3:00 PM? Please answer \"yes\" or \"no\".", ask.Reply);
        Assert.Equal("Done: your appointment on Thursday, January 16 at 3:00 PM is cancelled.", done.Reply);
        Assert.Empty(Calendar.Appointments);
    }

    [Fact]
    public async Task Cancelling_without_a_booking_says_there_is_none()
    {
        var reply = await Say("cancelar mi turno");

        Assert.Equal("No tienes ningún turno reservado conmigo en esta conversación, así que no hay nada que cancelar. ¿Quieres reservar uno?", reply.Reply);
        Assert.Empty(Calendar.Calls);
    }

    [Fact]
    public async Task An_appointment_already_gone_is_forgotten()
    {
        await BookAsAna();
        Calendar.Appointments.Clear();
        await Say("cancelar mi turno");
        var reply = await Say("sí");

        Assert.Equal("Tu turno del jueves 16 de enero a las 15:00 ya no figura en la agenda, así que no hay nada que cancelar.", reply.Reply);
        Assert.Equal(ReplyTexts.NoAppointment(Understanding.Language.Spanish), (await Say("¿cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task A_booking_can_be_made_again_after_cancelling_it()
    {
        await BookAsAna();
        await Say("cancelar mi turno");
        await Say("sí");
        await Say(Spec);
        var done = await Say("sí");

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", done.Reply);
        Assert.NotEqual(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
        Assert.Single(Calendar.Appointments);
    }

    [Theory]
    [InlineData("¿cuándo es mi turno?", "Tu turno es el jueves 16 de enero a las 15:00.")]
    [InlineData("cuando tengo turno", "Tu turno es el jueves 16 de enero a las 15:00.")]
    [InlineData("¿A qué hora es mi cita?", "Tu turno es el jueves 16 de enero a las 15:00.")]
    public async Task When_is_my_appointment_answers_from_the_booking(string question, string expected)
    {
        await BookAsAna();
        var callsBefore = Calendar.Calls.Count;

        var reply = await Say(question);

        Assert.Equal((expected, "my_appointment"), (reply.Reply, reply.Intent));
        Assert.Equal(callsBefore, Calendar.Calls.Count);
    }

    [Fact]
    public async Task When_is_my_appointment_in_English_with_two_bookings()
    {
        await Say("I'd like to book tomorrow at 3 PM");
        await Say("yes");
        await Say("John");
        await Say("and on Friday at 10?");
        await Say("yes");

        var reply = await Say("When is my appointment?");

        Assert.Equal("Your appointments are on Thursday, January 16 at 3:00 PM and Friday, January 17 at 10:00 AM.", reply.Reply);
    }

    [Fact]
    public async Task When_is_my_appointment_without_one()
    {
        var reply = await Say("when is my appointment?");

        Assert.Equal("I don't have any appointment of yours booked in this chat. Would you like to book one?", reply.Reply);
    }

    [Fact]
    public async Task A_calendar_that_breaks_before_the_yes_keeps_the_proposal()
    {
        await Say(Spec);
        Calendar.BookingFailures.Enqueue(new ToolFailure("needs_reauthorization", "Reconnect."));
        await Say("sí");
        var failed = await Say("Ana");
        var retried = await Say("sí");

        Assert.StartsWith("No puedo consultar la agenda de la empresa por ahora", failed.Reply);
        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", retried.Reply);
        Assert.Single(Calendar.Appointments);
    }
}
