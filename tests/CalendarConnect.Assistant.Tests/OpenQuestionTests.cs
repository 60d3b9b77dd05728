using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// A yes answers only the question the LAST reply asked: a new request whose reply asks nothing (the calendar could not
/// be read, the appointments were listed) closes the question asked before it (fake MCP server; today is Wednesday
/// 15 January 2025, 10:00, Buenos Aires).
/// </summary>
public sealed class OpenQuestionTests : FakeCalendarTest
{
    private static readonly string Unreachable = ReplyTexts.CalendarUnavailable(null, new ReplyContext(Language.Spanish));

    private void CalendarDown() => Calendar.FailingCustomers[Company] = new ToolFailure(null, "The calendar is down.");

    private void CalendarBack() => Calendar.FailingCustomers.TryRemove(Company, out _);

    /// <summary>Thursday 16 January at 15:00, booked for Ana.</summary>
    private async Task BookThursdayAsync()
    {
        Assert.True((await Say("quiero un turno mañana a las 15")).Available);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);
        Assert.StartsWith("Listo, reservé", (await Say("Ana")).Reply);
        Assert.Single(Calendar.Appointments);
    }

    [Theory]
    [InlineData("el lunes no me sirve", "ok")]
    [InlineData("mejor el viernes a las 11?", "dale")]
    public async Task A_proposal_is_closed_by_a_new_request_the_calendar_could_not_answer(string newRequest, string yes)
    {
        await BookThursdayAsync();
        Assert.True((await Say("y otro el lunes a las 10?")).Available);

        CalendarDown();
        Assert.Equal(Unreachable, (await Say(newRequest)).Reply);
        CalendarBack();
        await Say(yes);

        Assert.Single(Calendar.CallsOf("book_appointment"));
        Assert.Single(Calendar.Appointments);
    }

    [Theory]
    [InlineData("quiero un turno mañana a las 15", "ok gracias, chau", "sí")]
    [InlineData("tomorrow at 3pm", "okay thank you, bye", "yes")]
    [InlineData("tomorrow at 3pm", "ok thanks, see you", "yes")]
    public async Task A_goodbye_to_a_proposal_books_nothing_and_closes_it(string request, string goodbye, string laterYes)
    {
        var language = request.StartsWith("tomorrow", StringComparison.Ordinal) ? Language.English : Language.Spanish;
        Assert.True((await Say(request)).Available);

        var reply = await Say(goodbye);

        Assert.Equal(ReplyTexts.FarewellNothingWritten(new ReplyContext(language)), reply.Reply);
        Assert.Equal("thanks", reply.Intent);
        // The proposal is closed: a yes afterwards answers nothing, and still nothing is booked.
        Assert.NotEqual(ReplyTexts.AskName(language), (await Say(laterYes)).Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
        Assert.Empty(Calendar.Appointments);
    }

    [Fact]
    public async Task A_goodbye_when_the_name_is_asked_books_nothing()
    {
        Assert.True((await Say("quiero un turno mañana a las 15")).Available);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);

        Assert.Equal(ReplyTexts.FarewellNothingWritten(new ReplyContext(Language.Spanish)), (await Say("bueno gracias, chau")).Reply);
        await Say("Ana");

        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_move_proposal_is_closed_by_a_new_time_the_calendar_could_not_check()
    {
        await BookThursdayAsync();
        Assert.StartsWith("El lunes 20 de enero a las 10:00 está disponible. ¿Confirmas que cambio tu turno",
            (await Say("cambiar mi turno al lunes a las 10")).Reply);

        CalendarDown();
        Assert.Equal(Unreachable, (await Say("no mejor el viernes a las 9")).Reply);
        CalendarBack();
        var afterOk = await Say("ok");

        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        // The move itself is still under way: its new time is asked again.
        Assert.Equal("¿Para qué día y hora quieres cambiar tu turno del jueves 16 de enero a las 15:00?", afterOk.Reply);
    }

    [Fact]
    public async Task A_name_question_is_closed_by_a_new_request_the_calendar_could_not_answer()
    {
        Assert.True((await Say("quiero un turno mañana a las 15")).Available);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);

        CalendarDown();
        Assert.Equal(Unreachable, (await Say("mejor el viernes a las 11")).Reply);
        CalendarBack();
        await Say("Ana");

        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_failed_booking_is_still_retried_by_a_plain_yes()
    {
        Assert.True((await Say("quiero un turno mañana a las 15")).Available);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);
        CalendarDown();
        Assert.Equal(Unreachable, (await Say("Ana")).Reply);
        CalendarBack();

        Assert.StartsWith("Listo, reservé", (await Say("sí")).Reply);
        Assert.Single(Calendar.Appointments);
    }

    [Fact]
    public async Task A_no_with_a_new_request_keeps_the_appointment_says_so_and_answers_the_request()
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        var reply = await Say("no, mejor decime si hay algo el viernes a las 11");

        Assert.Equal("De acuerdo, tu turno del jueves 16 de enero a las 15:00 sigue reservado. "
            + "¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el viernes 17 de enero a las 11:00?", reply.Reply);
        await Say("no");
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
        Assert.Single(Calendar.Appointments);
    }

    [Fact]
    public async Task A_no_with_a_new_request_the_calendar_could_not_answer_closes_the_cancellation_question()
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        CalendarDown();
        Assert.Equal("De acuerdo, tu turno del jueves 16 de enero a las 15:00 sigue reservado. " + Unreachable,
            (await Say("no, mejor decime si hay algo el viernes a las 11")).Reply);
        CalendarBack();
        await Say("ok");

        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
        Assert.Single(Calendar.Appointments);
    }

    [Fact]
    public async Task My_appointment_during_a_proposal_lists_it_and_asks_the_proposal_again()
    {
        await BookThursdayAsync();
        Assert.True((await Say("y otro el lunes a las 10?")).Available);

        var listed = await Say("¿Cuándo es mi turno?");

        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00. ¿Confirmas la reserva para el lunes 20 de enero a las 10:00? Responde «sí» o «no».",
            listed.Reply);
        // The yes answers the question the last reply asked.
        Assert.StartsWith("Listo, reservé tu turno para el lunes 20 de enero a las 10:00", (await Say("sí")).Reply);
    }

    [Fact]
    public async Task My_appointment_during_a_cancellation_question_lists_it_and_asks_the_question_again()
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00. ¿Confirmas que quieres cancelar tu turno del jueves 16 de enero a las 15:00? Responde «sí» o «no».",
            (await Say("¿Cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task My_appointment_while_the_name_is_asked_says_there_is_none_yet_and_asks_the_name_again()
    {
        Assert.True((await Say("quiero un turno mañana a las 15")).Available);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);

        Assert.Equal("Todavía no tienes ningún turno reservado en esta conversación. ¿A nombre de quién hago la reserva?",
            (await Say("¿Cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task Changing_a_new_proposal_changes_it_even_with_an_appointment_already_booked()
    {
        await BookThursdayAsync();
        Assert.True((await Say("quiero otro turno el lunes a las 10")).Available);

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el lunes 20 de enero a las 12:00?",
            (await Say("cambialo a las 12")).Reply);
        await Say("sí");

        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        Assert.Equal(["2025-01-16T15:00", "2025-01-20T12:00"],
            Calendar.Appointments.Values.Select(a => a.Start[..16]).Order().ToArray());
    }

    [Fact]
    public async Task A_yes_that_names_the_appointments_own_day_cancels_it()
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        var reply = await Say("Sí, el del jueves");

        Assert.Equal("Listo, cancelé tu turno del jueves 16 de enero a las 15:00.", reply.Reply);
        Assert.Empty(Calendar.Appointments);
    }

    [Theory]
    [InlineData("sí cancelalo")]
    [InlineData("yes cancel")]
    public async Task A_yes_that_says_cancel_it_cancels(string yes)
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        await Say(yes);

        Assert.Single(Calendar.CallsOf("cancel_appointment"));
    }

    [Fact]
    public async Task A_cancel_word_with_a_no_does_not_cancel()
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        await Say("no no lo canceles");

        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    [Fact]
    public async Task A_yes_that_names_another_day_does_not_cancel()
    {
        await BookThursdayAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        await Say("Sí, el del viernes");

        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    [Fact]
    public async Task A_yes_that_names_the_proposed_time_confirms_the_proposal()
    {
        Assert.True((await Say("tomorrow at 3pm")).Available);

        Assert.Equal(ReplyTexts.AskName(Language.English), (await Say("yes 3pm works")).Reply);
        Assert.StartsWith("Done: your appointment is booked for", (await Say("June Carter")).Reply);
    }

    [Fact]
    public async Task A_yes_that_names_another_time_does_not_confirm_the_proposal()
    {
        Assert.True((await Say("tomorrow at 3pm")).Available);

        Assert.NotEqual(ReplyTexts.AskName(Language.English), (await Say("yes 4pm works")).Reply);
        await Say("June Carter");
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Cancelling_on_a_day_without_an_appointment_says_so_and_names_the_one_there_is()
    {
        await BookThursdayAsync();

        Assert.Equal("No tienes ningún turno el viernes 17 de enero. Tu turno es el jueves 16 de enero a las 15:00.",
            (await Say("cancelar mi turno del viernes")).Reply);
        await Say("sí");

        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    [Fact]
    public async Task Moving_from_a_day_without_an_appointment_says_so_and_names_the_one_there_is()
    {
        await BookThursdayAsync();

        Assert.Equal("No tienes ningún turno el viernes 17 de enero. Tu turno es el jueves 16 de enero a las 15:00.",
            (await Say("cambiar mi turno del viernes al lunes")).Reply);
        await Say("sí");

        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
    }

    [Fact]
    public async Task Cancelling_on_the_day_of_the_only_appointment_asks_to_confirm_it()
    {
        await BookThursdayAsync();

        Assert.Equal("¿Confirmas que quieres cancelar tu turno del jueves 16 de enero a las 15:00? Responde «sí» o «no».",
            (await Say("cancelar mi turno del jueves")).Reply);
    }

    [Theory]
    [InlineData("el jueves entre las 3 y las 6", "2025-01-15T15:00", "2025-01-17T15:00", "2025-01-20T15:00")]
    [InlineData("el jueves por la tarde", "2025-01-15T12:00", "2025-01-17T12:00", "2025-01-20T12:00")]
    public async Task Ruling_out_the_day_keeps_the_range_or_part_of_the_day_for_the_others(string request, params string[] expected)
    {
        Assert.NotEmpty((await Say(request)).Offered);

        var others = await Say("el jueves no me sirve");

        Assert.Equal(expected, others.Offered);
    }

    [Theory]
    [InlineData("any day next week except monday, mornings")]
    [InlineData("la semana que viene cualquier día menos el lunes")]
    public async Task A_day_ruled_out_inside_a_period_is_never_offered(string request)
    {
        var listed = await Say(request);

        Assert.NotEmpty(listed.Offered);
        Assert.DoesNotContain(listed.Offered, start => start.StartsWith("2025-01-20", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("thursday but not in the morning", "2025-01-16T12:00")]
    [InlineData("el jueves pero no a la tarde", null)]
    [InlineData("el jueves, no por la noche", "2025-01-16T09:00")]
    public async Task A_part_of_the_day_ruled_out_lists_the_rest_of_the_day(string request, string? earliest)
    {
        var listed = await Say(request);

        Assert.NotEmpty(listed.Offered);
        Assert.All(listed.Offered, start => Assert.StartsWith("2025-01-16", start, StringComparison.Ordinal));
        if (earliest is not null) Assert.Equal(earliest, listed.Offered[0]);
    }

    [Fact]
    public async Task Moving_to_a_weekday_that_comes_sooner_in_an_earlier_week_than_the_appointment_asks_which()
    {
        Assert.True((await Say("el jueves 23 a las 11")).Available);
        await Say("sí");
        Assert.StartsWith("Listo, reservé", (await Say("Ana")).Reply);

        var asked = await Say("¿me la podés pasar al viernes a la misma hora?");

        Assert.Null(asked.Available);
        Assert.Contains("viernes 17 de enero", asked.Reply, StringComparison.Ordinal);
        Assert.Contains("viernes 24 de enero", asked.Reply, StringComparison.Ordinal);
        var proposed = await Say("el 24");
        Assert.Equal(("2025-01-24", "11:00", true), (proposed.DateIso, proposed.TimeLocal, proposed.Available));
    }

    [Fact]
    public async Task Moving_to_a_weekday_of_the_appointments_own_week_takes_it()
    {
        Assert.True((await Say("mañana a las 12")).Available);
        await Say("sí");
        Assert.StartsWith("Listo, reservé", (await Say("Ana")).Reply);

        var proposed = await Say("¿lo podés pasar al viernes a la misma hora?");

        Assert.Equal(("2025-01-17", "12:00", true), (proposed.DateIso, proposed.TimeLocal, proposed.Available));
    }

    [Theory]
    [InlineData("wednesday 22 at 3pm", "hmm what about thursday same time", "Thursday, January 16", "Thursday, January 23", "the 23rd")]
    [InlineData("el miércoles 22 a las 15", "uy no, ese día no puedo, ¿el jueves a la misma hora?", "jueves 16 de enero", "jueves 23 de enero", "el 23")]
    public async Task A_weekday_alone_changing_a_proposal_of_a_later_week_asks_which_and_keeps_the_time(string request, string change,
        string comingDay, string dayOfProposalsWeek, string answer)
    {
        var first = await Say(request);
        Assert.Equal(("2025-01-22", "15:00", true), (first.DateIso, first.TimeLocal, first.Available));

        var asked = await Say(change);

        Assert.Null(asked.Available);
        Assert.Contains(comingDay, asked.Reply, StringComparison.Ordinal);
        Assert.Contains(dayOfProposalsWeek, asked.Reply, StringComparison.Ordinal);
        var proposed = await Say(answer);
        Assert.Equal(("2025-01-23", "15:00", true), (proposed.DateIso, proposed.TimeLocal, proposed.Available));
        Assert.Empty(Calendar.Appointments);
    }

    [Theory]
    [InlineData("monday 20 at 3pm", "what about tuesday same time", "2025-01-21", "15:00")]
    [InlineData("el lunes 20 a las 15", "¿y el martes a la misma hora?", "2025-01-21", "15:00")]
    [InlineData("tomorrow at 5pm", "what about friday same time", "2025-01-17", "17:00")]
    public async Task A_weekday_alone_coming_in_the_proposals_week_or_later_takes_it(string request, string change, string day, string time)
    {
        Assert.Equal(true, (await Say(request)).Available);

        var proposed = await Say(change);

        Assert.Equal((day, time, true), (proposed.DateIso, proposed.TimeLocal, proposed.Available));
    }

    [Theory]
    [InlineData("can we do friday instead", "2025-01-17")]
    [InlineData("¿el viernes en su lugar?", "2025-01-17")]
    public async Task A_day_alone_instead_right_after_a_booking_moves_it_at_its_time(string instead, string day)
    {
        Assert.True((await Say("mañana a las 15")).Available);
        await Say("sí");
        Assert.StartsWith("Listo, reservé", (await Say("Ana")).Reply);

        var proposed = await Say(instead);

        Assert.Equal(("reschedule", day, "15:00", true), (proposed.Intent, proposed.DateIso, proposed.TimeLocal, proposed.Available));
        Assert.Single(Calendar.Appointments);
    }

    [Theory]
    [InlineData("¿me recuerdas qué día era?")]
    [InlineData("perdón, a q hora era?")]
    public async Task A_past_tense_question_about_when_after_a_booking_says_the_appointment(string question)
    {
        Assert.True((await Say("mañana a las 15")).Available);
        await Say("sí");
        await Say("Ana");

        var told = await Say(question);

        Assert.Equal(("my_appointment", "2025-01-16", "15:00"), (told.Intent, told.DateIso, told.TimeLocal));
    }

    [Fact]
    public async Task Keeping_the_appointment_asked_to_be_cancelled_is_a_no()
    {
        Assert.True((await Say("tomorrow at 3pm")).Available);
        await Say("yes");
        await Say("Ana");
        Assert.Equal("cancel", (await Say("cancel it")).Intent);

        var kept = await Say("actually no keep it");

        Assert.Equal("decline", kept.Intent);
        Assert.Single(Calendar.Appointments);
    }

    [Theory]
    [InlineData("what times do you have on tuesday", "the 2nd one", 1)]
    [InlineData("what times do you have on tuesday", "3rd", 2)]
    public async Task A_digit_ordinal_while_times_are_on_offer_picks_from_the_list(string request, string pick, int index)
    {
        var listed = await Say(request);
        Assert.True(listed.Offered.Count > index);

        var proposed = await Say(pick);

        Assert.Equal(listed.Offered[index], proposed.DateIso + "T" + proposed.TimeLocal);
        Assert.True(proposed.Available);
    }

    [Fact]
    public async Task A_lone_weekday_word_while_the_name_is_asked_asks_whether_it_is_the_name()
    {
        Assert.True((await Say("quiero un turno mañana a las 15")).Available);
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);

        Assert.Equal("¿«Domingo» es el nombre para la reserva, o quieres otro día? Si es el nombre, responde «sí»; si quieres otro día, dime cuál (por ejemplo «el domingo»).",
            (await Say("Domingo")).Reply);
        Assert.StartsWith("Listo, reservé tu turno para el jueves 16 de enero a las 15:00", (await Say("sí")).Reply);
        Assert.Equal("Domingo", Assert.Single(Calendar.Appointments).Value.CustomerName);
    }
}
