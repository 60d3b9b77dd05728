namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// The behaviours of issue 12 as customers write them, parser and dialogue together, against the fake MCP calendar
/// (today Wednesday 15 January 2025, 10:00; weekdays free from 09:00 to 18:00 unless a test says otherwise).
/// </summary>
public sealed class RealisticConversationTests : FakeCalendarTest
{
    [Fact]
    public async Task Entre_las_3_y_las_6_lists_the_free_times_inside_and_never_the_six()
    {
        Calendar.BusyHours["2025-01-16"] = [16];

        var reply = await Say("mañana entre las 3 y las 6");

        Assert.Equal("El jueves 16 de enero entre las 15:00 y las 18:00 hay estos horarios libres: 15:00 y 17:00. ¿Cuál te gustaría?", reply.Reply);
        Assert.DoesNotContain("2025-01-16T18:00", reply.Offered);
    }

    [Fact]
    public async Task From_1_to_4pm_on_a_day_lists_the_free_times_inside()
    {
        var reply = await Say("friday from 1 to 4pm");

        Assert.Equal("On Friday, January 17 between 1:00 PM and 4:00 PM these times are free: 1:00 PM, 2:00 PM and 3:00 PM. Which one would you like?", reply.Reply);
    }

    [Fact]
    public async Task Sometime_next_week_lists_five_times_over_five_days_and_the_second_is_proposed()
    {
        var listed = await Say("sometime next week?");
        var picked = await Say("the second one");

        Assert.StartsWith("Between Monday, January 20 and Sunday, January 26 there are free times, for example", listed.Reply);
        Assert.Equal(5, listed.Offered.Select(o => o[..10]).Distinct().Count());
        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Tuesday, January 21 at 9:00 AM?", picked.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_weekday_after_next_weeks_list_is_asked_this_weeks_or_that_weeks()
    {
        await Say("sometime next week?");

        var reply = await Say("thursday at 4pm");

        // This Thursday (16) or the listed week's (23): asked, never one of them proposed.
        Assert.Null(reply.Available);
        Assert.Contains("January 16", reply.Reply);
        Assert.Contains("January 23", reply.Reply);
        var chosen = await Say("January 23");
        Assert.Equal(("2025-01-23", "16:00", (bool?)true), (chosen.DateIso, chosen.TimeLocal, chosen.Available));
    }

    [Fact]
    public async Task El_proximo_fin_de_semana_with_nothing_free_offers_the_next_times()
    {
        var reply = await Say("¿tienen algo el próximo fin de semana?");

        Assert.StartsWith("Lo siento, entre el sábado 18 de enero y el domingo 19 de enero no hay horarios libres.", reply.Reply);
        Assert.Equal(["2025-01-20T09:00", "2025-01-20T10:00", "2025-01-20T11:00"], reply.Offered);
    }

    [Fact]
    public async Task A_principios_del_mes_que_viene_lists_times_in_the_first_days_of_february()
    {
        var reply = await Say("a principios del mes que viene");

        Assert.NotEmpty(reply.Offered);
        Assert.All(reply.Offered, o => Assert.StartsWith("2025-02-", o));
        Assert.True(reply.Offered.Count <= 5);
    }

    [Fact]
    public async Task La_de_las_11_picks_from_the_days_list()
    {
        await Say("¿qué horarios hay mañana?");

        var reply = await Say("la de las 11");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 11:00?", reply.Reply);
    }

    [Fact]
    public async Task La_ultima_picks_the_last_offered_time()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        await Say("Quiero reservar para mañana a las 3 PM");

        var reply = await Say("la última");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", reply.Reply);
    }

    [Fact]
    public async Task El_lunes_no_me_sirve_el_martes_asks_about_tuesday()
    {
        await Say("¿el lunes a las 10?");

        var reply = await Say("el lunes no me sirve, ¿el martes?");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el martes 21 de enero a las 10:00?", reply.Reply);
    }

    [Fact]
    public async Task El_lunes_no_me_sirve_alone_offers_other_days()
    {
        await Say("¿el lunes a las 10?");

        var reply = await Say("el lunes no me sirve");

        Assert.StartsWith("De acuerdo, el lunes 20 de enero no. Otros días con horarios libres:", reply.Reply);
        Assert.DoesNotContain(reply.Offered, o => o.StartsWith("2025-01-20", StringComparison.Ordinal));
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Not_thursday_friday_at_9_asks_about_friday()
    {
        var reply = await Say("not Thursday — Friday at 9?");

        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Friday, January 17 at 9:00 AM?", reply.Reply);
    }

    [Fact]
    public async Task Can_we_push_it_to_4_moves_the_appointment_just_booked_after_a_yes()
    {
        await Say("I'd like to book tomorrow at 11am");
        await Say("yes");
        Assert.StartsWith("Done", (await Say("John Smith")).Reply);

        var proposal = await Say("can we push it to 4?");

        Assert.Equal(
            "Thursday, January 16 at 4:00 PM is available. Shall I move your appointment from Thursday, January 16 at 11:00 AM to Thursday, January 16 at 4:00 PM?",
            proposal.Reply);
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        Assert.StartsWith("Done", (await Say("yes")).Reply);
        Assert.Equal("2025-01-16T16:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    [Fact]
    public async Task Lo_podes_cambiar_a_las_11_keeps_the_day()
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        await Say("sí");
        await Say("Ana");

        var proposal = await Say("¿lo podés cambiar a las 11?");

        Assert.Equal(
            "El jueves 16 de enero a las 11:00 está disponible. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al jueves 16 de enero a las 11:00?",
            proposal.Reply);
    }

    [Fact]
    public async Task Mejor_el_viernes_while_the_name_is_asked_follows_the_new_request()
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        await Say("sí");

        var reply = await Say("mejor el viernes a las 10");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el viernes 17 de enero a las 10:00?", reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Actually_make_it_12_while_the_name_is_asked_changes_the_proposal()
    {
        await Say("tomorrow at 11am");
        await Say("yes");

        var reply = await Say("actually make it 12");

        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Thursday, January 16 at 12:00 PM?", reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_day_alone_for_a_move_keeps_the_appointments_time()
    {
        await Say("el viernes a las 12");
        await Say("sí");
        await Say("Jorge Luna");

        var reply = await Say("¿me la puedes pasar al lunes a la misma hora?");

        Assert.Equal(
            "El lunes 20 de enero a las 12:00 está disponible. ¿Confirmas que cambio tu turno del viernes 17 de enero a las 12:00 al lunes 20 de enero a las 12:00?",
            reply.Reply);
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
    }

    [Fact]
    public async Task A_time_alone_right_after_a_booking_proposes_moving_it()
    {
        await Say("tomorrow 9am");
        await Say("yes");
        await Say("Nina");

        var reply = await Say("actually can I come at 10 instead?");

        Assert.Equal(
            "Thursday, January 16 at 10:00 AM is available. Shall I move your appointment from Thursday, January 16 at 9:00 AM to Thursday, January 16 at 10:00 AM?",
            reply.Reply);
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        Assert.Single(Calendar.Appointments);
    }
}
