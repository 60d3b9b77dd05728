using System.Collections.Concurrent;
using System.Text.Json;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Rescheduling, parts of the day, questions instead of guesses, help and thanks, persistence across a restart and
/// hostile input at every step, against the fake MCP server (today is Wednesday 15 January 2025, 10:00, Buenos Aires;
/// weekdays 09-18 free unless a test says otherwise).
/// </summary>
public sealed class ConversationFlowTests : FakeCalendarTest
{
    private List<ReceivedCall> Moves => Calendar.CallsOf("reschedule_appointment").ToList();

    /// <summary>Books Thursday 16 January at 15:00 (or <paramref name="request"/>) as Ana.</summary>
    private async Task BookAsync(string request = "Quiero reservar para mañana a las 3 PM", string conversation = "conv-1")
    {
        var proposal = await Say(request, conversation);
        Assert.True(proposal.Available, proposal.Reply);
        var afterYes = await Say("sí", conversation);
        if (afterYes.Reply == ReplyTexts.AskName(Language.Spanish) || afterYes.Reply == ReplyTexts.AskName(Language.English))
            afterYes = await Say("Ana", conversation);
        Assert.Equal(true, afterYes.Available);
    }

    // ---------------------------------------------------------------- reschedule

    [Fact]
    public async Task Moving_the_appointment_asks_first_then_moves_it_and_says_from_and_to()
    {
        await BookAsync();
        var eventId = Assert.Single(Calendar.Appointments.Keys);

        var proposal = await Say("quiero cambiar mi turno al viernes a las 10");

        Assert.Equal("El viernes 17 de enero a las 10:00 está disponible. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al viernes 17 de enero a las 10:00?",
            proposal.Reply);
        Assert.Equal(("reschedule", "2025-01-17", "10:00", (bool?)true), (proposal.Intent, proposal.DateIso, proposal.TimeLocal, proposal.Available));
        Assert.Empty(Moves);

        var done = await Say("sí");

        Assert.Equal("Listo, cambié tu turno: era el jueves 16 de enero a las 15:00 y ahora es el viernes 17 de enero a las 10:00. ¡Te esperamos!", done.Reply);
        var call = Assert.Single(Moves);
        Assert.Equal((eventId, "2025-01-17T10:00:00-03:00"), (call.Arguments!["event_id"], call.Arguments["new_start_iso"]));
        Assert.Equal("2025-01-17T10:00:00-03:00", Calendar.Appointments[eventId].Start);
        Assert.Equal("Tu turno es el viernes 17 de enero a las 10:00.", (await Say("¿cuándo es mi turno?")).Reply);
        Assert.Single(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Moving_in_english()
    {
        await BookAsync("I'd like to book tomorrow at 3 PM");

        var proposal = await Say("can I move my appointment to tomorrow at 5?");
        var done = await Say("yes");

        Assert.Equal("Thursday, January 16 at 5:00 PM is available. Shall I move your appointment from Thursday, January 16 at 3:00 PM to Thursday, January 16 at 5:00 PM?",
            proposal.Reply);
        Assert.Equal("Done: your appointment on Thursday, January 16 at 3:00 PM is now on Thursday, January 16 at 5:00 PM.", done.Reply);
        Assert.Equal("2025-01-16T17:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    [Fact]
    public async Task A_move_without_a_new_time_asks_for_it_and_no_keeps_the_appointment()
    {
        await BookAsync();

        var ask = await Say("Quiero cambiar mi turno");
        var proposal = await Say("el lunes a las 11");
        var no = await Say("no");

        Assert.Equal("¿Para qué día y hora quieres cambiar tu turno del jueves 16 de enero a las 15:00?", ask.Reply);
        Assert.StartsWith("El lunes 20 de enero a las 11:00 está disponible. ¿Confirmas que cambio tu turno", proposal.Reply);
        Assert.Equal("De acuerdo, no cambié nada: tu turno sigue siendo el jueves 16 de enero a las 15:00.", no.Reply);
        Assert.Empty(Moves);
        Assert.Equal("2025-01-16T15:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    [Fact]
    public async Task While_the_new_time_is_missing_yes_asks_again_and_no_keeps_the_appointment()
    {
        await BookAsync();
        await Say("quiero cambiar mi turno");

        var yes = await Say("sí");
        var no = await Say("no");
        var noAgain = await Say("no");

        Assert.Equal("¿Para qué día y hora quieres cambiar tu turno del jueves 16 de enero a las 15:00?", yes.Reply);
        Assert.Equal("De acuerdo, no cambié nada: tu turno sigue siendo el jueves 16 de enero a las 15:00.", no.Reply);
        Assert.Equal("De acuerdo. ¿Hay algo más en lo que pueda ayudarte?", noAgain.Reply);
        Assert.Empty(Moves);
    }

    [Fact]
    public async Task No_to_the_offered_times_books_nothing_and_offers_to_look_elsewhere()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        await Say("Quiero reservar para mañana a las 3 PM");

        var no = await Say("no");

        Assert.Equal("De acuerdo, no reservé nada. ¿Quieres buscar otro día u horario?", no.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Anything_but_yes_keeps_the_move_pending()
    {
        await BookAsync();
        await Say("quiero cambiar mi turno al viernes a las 10");

        var reply = await Say("mmm no sé, quizás");

        Assert.Equal("¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al viernes 17 de enero a las 10:00? Responde «sí» o «no».", reply.Reply);
        Assert.Empty(Moves);
        await Say("dale");
        Assert.Single(Moves);
    }

    [Fact]
    public async Task With_several_appointments_it_asks_which_one()
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");

        var which = await Say("necesito cambiar mi turno");
        var chosen = await Say("el del viernes");
        var proposal = await Say("el lunes a las 9");
        await Say("sí");

        Assert.Equal("Tienes estos turnos: el jueves 16 de enero a las 15:00 y el viernes 17 de enero a las 11:00. ¿Cuál quieres cambiar? Dime su día (y su hora).", which.Reply);
        Assert.Equal("¿Para qué día y hora quieres cambiar tu turno del viernes 17 de enero a las 11:00?", chosen.Reply);
        Assert.Contains("del viernes 17 de enero a las 11:00 al lunes 20 de enero a las 09:00", proposal.Reply);
        var moved = Calendar.Appointments.Values.OrderBy(a => a.Start, StringComparer.Ordinal).ToList();
        Assert.Equal(["2025-01-16T15:00:00-03:00", "2025-01-20T09:00:00-03:00"], moved.Select(a => a.Start).ToArray());
    }

    [Fact]
    public async Task A_move_that_names_the_day_it_moves_from_picks_that_appointment()
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");

        var proposal = await Say("quiero cambiar mi turno del viernes al lunes a las 9");
        await Say("sí");

        Assert.Equal("El lunes 20 de enero a las 09:00 está disponible. ¿Confirmas que cambio tu turno del viernes 17 de enero a las 11:00 al lunes 20 de enero a las 09:00?",
            proposal.Reply);
        var starts = Calendar.Appointments.Values.Select(a => a.Start).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["2025-01-16T15:00:00-03:00", "2025-01-20T09:00:00-03:00"], starts);
    }

    [Fact]
    public async Task Nothing_to_move_says_so()
    {
        var reply = await Say("quiero cambiar mi turno al viernes a las 10");

        Assert.Equal(ReplyTexts.NoAppointmentToMove(Language.Spanish), reply.Reply);
        Assert.Empty(Calendar.CallsOf("get_available_slots"));
    }

    [Fact]
    public async Task A_move_to_a_busy_time_offers_alternatives_and_a_time_picks_one()
    {
        await BookAsync();
        Calendar.BusyHours["2025-01-17"] = [9, 10, 11, 12, 13, 14, 15, 16, 17];

        var busy = await Say("quiero cambiar mi turno al viernes a las 10");
        var pick = await Say("a las 9");

        Assert.Equal("Lo siento, las 10:00 del viernes 17 de enero no están disponibles. Los horarios libres más cercanos son el lunes 20 de enero a las 09:00 y 10:00. ¿Te sirve alguno?",
            busy.Reply);
        Assert.Contains("al lunes 20 de enero a las 09:00?", pick.Reply);
        Assert.Empty(Moves);
    }

    // not_on_slot_grid: a start the company's grid does not offer (an LLM may propose one) is a refusal like a taken slot.
    [Theory]
    [InlineData("slot_taken")]
    [InlineData("not_on_slot_grid")]
    public async Task A_move_refused_at_the_last_moment_keeps_the_appointment_and_offers_the_server_alternatives(string code)
    {
        await BookAsync();
        await Say("quiero cambiar mi turno al viernes a las 10");
        Calendar.BookingFailures.Enqueue(new ToolFailure(code, "Taken meanwhile."));

        var reply = await Say("sí");

        Assert.StartsWith("Lo siento, ya no se puede reservar el viernes 17 de enero a las 10:00, así que tu turno sigue siendo el jueves 16 de enero a las 15:00", reply.Reply);
        Assert.Equal("2025-01-16T15:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00.", (await Say("¿cuándo es mi turno?")).Reply);
    }

    // calendar_unavailable on a move may mean it was made: it is asked again at once (UnconfirmedWriteTests).
    [Theory]
    [InlineData("invalid_argument")]
    [InlineData(null)]
    public async Task A_tool_error_while_moving_gets_a_clear_reply_and_a_later_yes_still_moves(string? code)
    {
        await BookAsync();
        await Say("quiero cambiar mi turno al viernes a las 10");
        Calendar.BookingFailures.Enqueue(new ToolFailure(code, "Stack trace: at CalendarConnect.Secret.Method() token=ya29.secret"));

        var failed = await Say("sí");
        var retried = await Say("sí");

        Assert.Equal(ReplyTexts.CalendarUnavailable(code, Language.Spanish), failed.Reply);
        Assert.DoesNotContain("ya29", failed.Reply);
        Assert.DoesNotContain("Stack", failed.Reply);
        Assert.StartsWith("Listo, cambié tu turno", retried.Reply);
        Assert.Equal(2, Moves.Count);
    }

    [Fact]
    public async Task A_yes_that_comes_after_the_proposed_time_has_passed_books_nothing()
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        await Say("sí");
        Calendar.Now = "2025-01-16T16:00:00-03:00";

        var late = await Say("Ana");

        Assert.Equal("El horario del jueves 16 de enero a las 15:00 ya pasó, así que no reservé ni cambié nada. ¿Qué otro día y horario te gustaría?", late.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
        Assert.Equal(ReplyTexts.AskDate(null, Language.Spanish), (await Say("sí")).Reply);
    }

    [Fact]
    public async Task An_invalid_argument_while_booking_gets_a_clear_reply_and_keeps_the_proposal()
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        await Say("sí");
        Calendar.BookingFailures.Enqueue(new ToolFailure("invalid_argument", "start_iso is in the past. Use get_current_time."));

        var failed = await Say("Ana");
        var retried = await Say("sí");

        Assert.Equal("No puedo consultar la agenda en este momento. Por favor, inténtalo más tarde o comunícate directamente con la empresa.", failed.Reply);
        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", retried.Reply);
    }

    [Fact]
    public async Task A_move_of_an_appointment_the_company_removed_forgets_it()
    {
        await BookAsync();
        await Say("quiero cambiar mi turno al viernes a las 10");
        Calendar.Appointments.Clear();

        var reply = await Say("sí");

        Assert.Equal(ReplyTexts.MoveNotFound(new LocalDateTime(2025, 1, 16, 15, 0), Language.Spanish), reply.Reply);
        Assert.Equal(ReplyTexts.NoAppointment(Language.Spanish), (await Say("¿cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task A_move_to_where_it_already_is_says_so()
    {
        await BookAsync();

        var reply = await Say("quiero cambiar mi turno a mañana a las 15");

        Assert.Equal("Tu turno ya es el jueves 16 de enero a las 15:00. ¿A qué otro día u horario quieres cambiarlo?", reply.Reply);
        Assert.Empty(Moves);
    }

    // ---------------------------------------------------------------- cancel with several appointments

    [Fact]
    public async Task With_several_appointments_cancel_asks_which_and_cancels_only_that_one()
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");

        var which = await Say("quiero cancelar mi turno");
        var confirm = await Say("el del viernes");
        var done = await Say("sí");

        Assert.Equal("Tienes estos turnos: el jueves 16 de enero a las 15:00 y el viernes 17 de enero a las 11:00. ¿Cuál quieres cancelar? Por ejemplo: «cancelar el del viernes 17 de enero».", which.Reply);
        Assert.Equal("¿Confirmas que quieres cancelar tu turno del viernes 17 de enero a las 11:00? Responde «sí» o «no».", confirm.Reply);
        Assert.Equal("Listo, cancelé tu turno del viernes 17 de enero a las 11:00.", done.Reply);
        Assert.Equal("2025-01-16T15:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    [Theory]
    [InlineData("el primero", "jueves 16 de enero a las 15:00")]
    [InlineData("La segunda", "viernes 17 de enero a las 11:00")]
    [InlineData("the last one", "Friday, January 17 at 11:00 AM")]
    public async Task Which_one_can_be_answered_by_its_place_in_the_list(string answer, string expected)
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");

        await Say("quiero cancelar mi turno");
        var cancel = await Say(answer);
        await Say("no");
        await Say("quiero cambiar mi turno");
        var move = await Say(answer);

        Assert.Contains(expected, cancel.Reply);
        Assert.Matches("^(¿Confirmas que quieres cancelar|Do you want me to cancel)", cancel.Reply);
        Assert.Matches("(¿Para qué día y hora quieres cambiar tu turno|To what day and time would you like to move)", move.Reply);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    [Fact]
    public async Task Cancel_naming_the_day_goes_straight_to_that_appointment()
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");

        var confirm = await Say("cancelá el turno del jueves por favor");
        var kept = await Say("no");

        Assert.Equal("¿Confirmas que quieres cancelar tu turno del jueves 16 de enero a las 15:00? Responde «sí» o «no».", confirm.Reply);
        Assert.Equal("De acuerdo, tu turno del jueves 16 de enero a las 15:00 sigue reservado.", kept.Reply);
        Assert.Equal(2, Calendar.Appointments.Count);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    [Fact]
    public async Task Cancel_naming_a_day_without_an_appointment_asks_which()
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");

        var which = await Say("cancelar mi turno del lunes");
        var none = await Say("no");

        Assert.StartsWith("Tienes estos turnos:", which.Reply);
        Assert.Equal(ReplyTexts.NothingChanged(Language.Spanish), none.Reply);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    // ---------------------------------------------------------------- understanding in the conversation

    [Fact]
    public async Task A_part_of_the_day_lists_its_free_times_instead_of_guessing()
    {
        Calendar.BusyHours["2025-01-16"] = [14];

        var reply = await Say("¿tienen turno mañana por la tarde?");

        Assert.Equal("El jueves 16 de enero por la tarde hay estos horarios libres: 12:00, 13:00, 15:00, 16:00 y 17:00. ¿Cuál te gustaría?", reply.Reply);
        Assert.Equal(["12:00", "13:00", "15:00", "16:00", "17:00"], reply.Alternatives);
        Assert.Null(reply.Available);
        var pick = await Say("a las 4");
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", pick.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_part_of_the_day_is_kept_while_the_day_changes_or_is_asked()
    {
        var ask = await Say("¿tienen algo por la tarde?");
        var tomorrow = await Say("mañana");
        var friday = await Say("¿y el viernes?");

        Assert.Equal(ReplyTexts.AskDate(null, Language.Spanish), ask.Reply);
        Assert.StartsWith("El jueves 16 de enero por la tarde hay estos horarios libres: 12:00,", tomorrow.Reply);
        Assert.StartsWith("El viernes 17 de enero por la tarde hay estos horarios libres: 12:00,", friday.Reply);
    }

    [Fact]
    public async Task Booking_another_appointment_while_a_move_is_discussed_is_a_new_booking()
    {
        await BookAsync();
        await Say("quiero cambiar mi turno");

        var reply = await Say("quiero reservar otro turno el lunes a las 10");
        await Say("sí");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el lunes 20 de enero a las 10:00?", reply.Reply);
        Assert.Empty(Moves);
        Assert.Equal(2, Calendar.CallsOf("book_appointment").Count());
        Assert.Equal(2, Calendar.Appointments.Count);
    }

    [Fact]
    public async Task A_part_of_the_day_with_nothing_free_asks_the_calendar_for_the_next_ones()
    {
        var reply = await Say("tomorrow in the evening");

        Assert.Equal("Sorry, there are no free times on Thursday, January 16 in the evening, and I found none in the next days either. Would you like to try another date?",
            reply.Reply);
        var find = Assert.Single(Calendar.CallsOf("find_next_available_slots"));
        Assert.Equal(("2025-01-16T00:00:00", "evening"), (find.Arguments!["from_iso"], find.Arguments["part_of_day"]));
    }

    [Fact]
    public async Task An_hour_without_am_pm_is_asked_when_both_readings_are_open()
    {
        // A company open 08:00-22:00 that day: 9 could be 09:00 or 21:00.
        Calendar.RawAnswers["get_available_slots"] = "{\"date\":\"2025-01-16\",\"slots\":[" + string.Join(",",
            Enumerable.Range(8, 14).Select(h => $"{{\"start\":\"2025-01-16T{h:00}:00:00-03:00\",\"end\":\"2025-01-16T{h + 1:00}:00:00-03:00\"}}")) + "]}";

        var ask = await Say("mañana a las 9");
        var evening = await Say("de la noche");

        Assert.Equal("¿A las 09:00 (de la mañana) o a las 21:00 (de la tarde/noche)?", ask.Reply);
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 21:00?", evening.Reply);
    }

    [Fact]
    public async Task An_hour_without_am_pm_takes_the_only_reading_within_the_day_and_states_it()
    {
        var reply = await Say("mañana a las 3");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 15:00?", reply.Reply);
    }

    [Fact]
    public async Task A_time_that_has_passed_today_is_said_so()
    {
        var reply = await Say("hoy a las 9");

        Assert.Equal("Las 09:00 de hoy (miércoles 15 de enero) ya pasaron. ¿Qué otro horario te gustaría?", reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Theory]
    [InlineData("ayer a las 10", "El martes 14 de enero ya pasó. ¿Para qué otro día te gustaría reservar?")]
    [InlineData("el 10 de enero a las 11", "El viernes 10 de enero ya pasó. ¿Para qué otro día te gustaría reservar?")]
    [InlineData("yesterday at 3pm", "Tuesday, January 14 has already passed. What other day would you like?")]
    public async Task A_past_day_is_said_so_and_asked_again(string text, string expected)
    {
        var reply = await Say(text);

        Assert.Equal(expected, reply.Reply);
        Assert.Empty(Calendar.CallsOf("get_available_slots"));
    }

    [Fact]
    public async Task A_numeric_date_with_two_readings_in_english_is_asked()
    {
        var ask = await Say("book 3/4 at 11am");
        var reply = await Say("March 4");

        Assert.Equal("Do you mean Tuesday, March 4 or Thursday, April 3? Please write the month in words, for example \"March 4\".", ask.Reply);
        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Tuesday, March 4 at 11:00 AM?", reply.Reply);
    }

    [Fact]
    public async Task The_next_free_times_are_listed_and_one_is_picked_by_its_time()
    {
        Calendar.BusyHours["2025-01-15"] = [9, 10, 11, 12, 13, 14, 15, 16];

        var next = await Say("¿cuándo tienen el próximo turno libre?");
        var pick = await Say("a las 9");

        Assert.Equal("Los próximos horarios libres son el miércoles 15 de enero a las 17:00; y el jueves 16 de enero a las 09:00 y 10:00. ¿Cuál te gustaría?", next.Reply);
        var find = Assert.Single(Calendar.CallsOf("find_next_available_slots"));
        Assert.Equal("2025-01-15T10:00:00", find.Arguments!["from_iso"]);
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 09:00?", pick.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_weekday_that_does_not_match_the_day_of_the_month_is_asked()
    {
        var ask = await Say("quiero un turno el jueves 24 a las 11");
        var reply = await Say("el viernes 24");

        Assert.Equal("¿Te refieres al jueves 16 de enero o al viernes 24 de enero? Escribe el mes en palabras, por ejemplo «16 de enero».", ask.Reply);
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el viernes 24 de enero a las 11:00?", reply.Reply);
    }

    [Fact]
    public async Task Yes_to_a_single_offered_time_proposes_it_and_books_nothing()
    {
        // Only 16:00 is free that day, and the search of the next days is down: one time is offered.
        Calendar.BusyHours["2025-01-16"] = [9, 10, 11, 12, 13, 14, 15, 17];
        Calendar.FindNextFailure = new ToolFailure("calendar_unavailable", "Google timed out.");

        var busy = await Say("Quiero reservar para mañana a las 3 PM");
        var yes = await Say("sí");

        Assert.Equal("Lo siento, las 15:00 del jueves 16 de enero no están disponibles. El horario libre más cercano es 16:00. ¿Te sirve?", busy.Reply);
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", yes.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Yes_to_several_offered_times_asks_which()
    {
        Calendar.BusyHours["2025-01-16"] = [15];

        await Say("Quiero reservar para mañana a las 3 PM");
        var yes = await Say("sí");

        Assert.Equal("¿Cuál te gustaría: el jueves 16 de enero a las 14:00 o el jueves 16 de enero a las 16:00?", yes.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task An_offered_time_can_be_picked_by_its_place()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        await Say("Quiero reservar para mañana a las 3 PM");

        var second = await Say("la segunda");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", second.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Alternatives_survive_a_failing_search_for_the_next_ones()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        Calendar.FindNextFailure = new ToolFailure("calendar_unavailable", "Google timed out.");

        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        Assert.Equal("Lo siento, las 15:00 del jueves 16 de enero no están disponibles. Los horarios libres más cercanos son 14:00 y 16:00. ¿Te sirve alguno?", reply.Reply);
    }

    [Theory]
    [InlineData("¿Qué puedes hacer?", "help")]
    [InlineData("ayuda", "help")]
    [InlineData("What can you do?", "help")]
    [InlineData("gracias!", "thanks")]
    [InlineData("thank you", "thanks")]
    [InlineData("hola", "greeting")]
    [InlineData("¿Cuánto cuesta?", "other")]
    [InlineData("asdfghjkl", "other")]
    public async Task Help_thanks_greetings_and_anything_else_get_a_polite_answer(string text, string intent)
    {
        var reply = await Say(text);

        Assert.Equal(intent, reply.Intent);
        Assert.Equal(intent switch
        {
            "help" => ReplyTexts.Help(LanguageCodes.FromCode(reply.Language)!.Value),
            "thanks" => ReplyTexts.Thanks(LanguageCodes.FromCode(reply.Language)!.Value),
            "greeting" => ReplyTexts.Greeting(Language.Spanish),
            _ => ReplyTexts.Fallback(Language.Spanish),
        }, reply.Reply);
        Assert.Empty(Calendar.Calls);
    }

    [Theory]
    [InlineData("si no es molestia")]
    [InlineData("sí, no, esperá")]
    [InlineData("no sé")]
    [InlineData("mmm not sure")]
    [InlineData("maybe")]
    public async Task A_half_yes_neither_books_nor_drops_the_proposal(string answer)
    {
        await Say("Quiero reservar para mañana a las 3 PM");

        var reply = await Say(answer);
        var yes = await Say("sí");

        Assert.Matches("jueves 16 de enero a las 15:00|Thursday, January 16 at 3:00 PM", reply.Reply);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), yes.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    // ---------------------------------------------------------------- persistence and hostile input

    [Fact]
    public async Task A_pending_confirmation_survives_a_restart_through_json()
    {
        var store = new JsonConversationStore();
        await using (var before = Host(store))
        {
            await before.GetRequiredService<BookingAssistant>().ReplyAsync(Company, "c-restart", "quiero reservar mañana a las 3 PM", TestContext.Current.CancellationToken);
        }

        await using var after = Host(store);
        var assistant = after.GetRequiredService<BookingAssistant>();
        await assistant.ReplyAsync(Company, "c-restart", "sí", TestContext.Current.CancellationToken);
        var done = await assistant.ReplyAsync(Company, "c-restart", "Ana", TestContext.Current.CancellationToken);

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", done.Reply);
        Assert.Contains("\"Topic\"", store.Json.Values.Single());
    }

    [Fact]
    public async Task A_pending_move_survives_a_restart_through_json()
    {
        var store = new JsonConversationStore();
        await using (var before = Host(store))
        {
            var assistant = before.GetRequiredService<BookingAssistant>();
            foreach (var text in new[] { "quiero reservar mañana a las 3 PM", "sí", "Ana", "quiero cambiar mi turno al viernes a las 10" })
                await assistant.ReplyAsync(Company, "c-move", text, TestContext.Current.CancellationToken);
        }

        await using var after = Host(store);
        var done = await after.GetRequiredService<BookingAssistant>().ReplyAsync(Company, "c-move", "sí", TestContext.Current.CancellationToken);

        Assert.StartsWith("Listo, cambié tu turno", done.Reply);
        Assert.Equal("2025-01-17T10:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    public static TheoryData<string> HostileTexts => new()
    {
        "",
        new string('x', 10_240),
        string.Concat(Enumerable.Repeat("sí mañana a las 3 ", 600)),
        "\0\u0001\u0007\u001b[2J\r\n\t",
        "🙂🙂 🗓️👍",
        "'; DROP TABLE conversations; --",
        "<script>alert(1)</script>",
        "Robert'); DELETE FROM appointments;--",
        "\ud83d",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_input_at_a_pending_booking_never_books_nor_throws(string text)
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        await Say("sí");

        var reply = await Say(text);

        Assert.Empty(Calendar.CallsOf("book_appointment"));
        AssertPolite(reply);
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_input_at_a_pending_move_never_moves_nor_throws(string text)
    {
        await BookAsync();
        await Say("quiero cambiar mi turno al viernes a las 10");

        var reply = await Say(text);

        Assert.Empty(Moves);
        AssertPolite(reply);
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_input_while_choosing_what_to_move_never_throws(string text)
    {
        await BookAsync();
        await BookAsync("Quiero reservar el viernes a las 11");
        await Say("quiero cambiar mi turno");

        var reply = await Say(text);

        Assert.Empty(Moves);
        AssertPolite(reply);
    }

    private static void AssertPolite(AssistantReply reply)
    {
        Assert.False(string.IsNullOrWhiteSpace(reply.Reply));
        Assert.DoesNotContain("<", reply.Reply);
        Assert.DoesNotContain("DROP", reply.Reply);
        Assert.DoesNotContain("Exception", reply.Reply);
        Assert.DoesNotContain(reply.Reply, c => char.IsControl(c));
        Assert.True(reply.Reply.Length < 500, reply.Reply);
    }

    private ServiceProvider Host(IConversationStore store)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton(store);
        collection.AddBookingAssistant(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MCP_SERVER_URL"] = Server.BaseUrl, ["MCP_API_KEY"] = AssistantHost.ApiKey })
            .Build());
        return collection.BuildServiceProvider();
    }

    /// <summary>
    /// Keeps each conversation only as JSON text (System.Text.Json with NodaTime's converters), as the backend's
    /// database store does: what survives here survives a restart there.
    /// </summary>
    private sealed class JsonConversationStore : IConversationStore
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

        public ConcurrentDictionary<(string, string), string> Json { get; } = new();

        public ValueTask<ConversationState?> GetAsync(string customerId, string conversationId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Json.TryGetValue((customerId, conversationId), out var json) ? JsonSerializer.Deserialize<ConversationState>(json, Options) : null);

        public ValueTask SetAsync(string customerId, string conversationId, ConversationState state, CancellationToken cancellationToken = default)
        {
            Json[(customerId, conversationId)] = JsonSerializer.Serialize(state, Options);
            return ValueTask.CompletedTask;
        }
    }
}
