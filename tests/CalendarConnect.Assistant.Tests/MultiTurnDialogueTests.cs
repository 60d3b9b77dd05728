namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Multi-turn rules (issue 12): a time relative to the one being talked about ("una hora más tarde"), questions about the
/// appointment just booked, bare times and weekdays after a list of free times. Today is Wednesday 15 January 2025,
/// 10:00; weekdays are free from 09:00 to 18:00 unless a test says otherwise.
/// </summary>
public sealed class MultiTurnDialogueTests : FakeCalendarTest
{
    // ---------------------------------------------------------------- relative times

    [Fact]
    public async Task An_hour_later_after_a_booking_proposes_moving_it_and_the_yes_moves_it()
    {
        await BookAsync();

        var proposal = await Say("¿la podemos retrasar una hora?");
        var moved = await Say("sí");

        Assert.Equal(
            "El jueves 16 de enero a las 16:00 está disponible. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al jueves 16 de enero a las 16:00?",
            proposal.Reply);
        Assert.Equal(("reschedule", (bool?)true), (proposal.Intent, proposal.Available));
        Assert.StartsWith("Listo", moved.Reply);
        Assert.Equal("2025-01-16T16:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    [Theory]
    [InlineData("make it an hour later", "2025-01-16", "16:00")]
    [InlineData("push it back 2 hours", "2025-01-16", "17:00")]
    [InlineData("can we do an hour earlier?", "2025-01-16", "14:00")]
    public async Task A_shift_after_an_english_booking_is_a_move_of_that_appointment(string text, string date, string time)
    {
        await BookAsync("book me tomorrow at 3pm", "yes", "Kate");

        var proposal = await Say(text);

        Assert.Equal((date, time, (bool?)true, "reschedule"), (proposal.DateIso, proposal.TimeLocal, proposal.Available, proposal.Intent));
        Assert.Single(Calendar.CallsOf("book_appointment"));
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
    }

    [Fact]
    public async Task A_shift_while_a_booking_is_proposed_proposes_the_shifted_time_instead()
    {
        await Say("mañana a las 10");

        var reply = await Say("mejor una hora más tarde");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 11:00?", reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_shift_to_a_busy_time_says_so_and_offers_the_nearest()
    {
        Calendar.BusyHours["2025-01-16"] = [16];
        await BookAsync();

        var reply = await Say("retrásala una hora");

        Assert.Equal((false, "2025-01-16", "16:00"), (reply.Available, reply.DateIso, reply.TimeLocal));
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
    }

    [Fact]
    public async Task A_bit_later_says_no_amount_and_is_asked_then_the_time_given_is_the_move()
    {
        await BookAsync();

        var asked = await Say("un rato más tarde");
        var proposal = await Say("a las 17");

        Assert.Equal("¿A qué hora te gustaría en lugar del jueves 16 de enero a las 15:00? Por ejemplo: «a las 16».", asked.Reply);
        Assert.Null(asked.Available);
        Assert.StartsWith("El jueves 16 de enero a las 17:00 está disponible. ¿Confirmas que cambio tu turno", proposal.Reply);
    }

    [Fact]
    public async Task A_shift_with_nothing_to_shift_asks_for_the_day_and_time()
    {
        var reply = await Say("an hour later");

        Assert.Equal("What day and time would you like to book?", reply.Reply);
    }

    // ---------------------------------------------------------------- the appointment just booked

    [Theory]
    [InlineData("do I have an appointment?")]
    [InlineData("when is it?")]
    public async Task A_question_about_the_appointment_just_booked_names_it(string question)
    {
        await BookAsync("book me tomorrow at 3pm", "yes", "Kate");

        var reply = await Say(question);

        Assert.Equal("Your appointment is on Thursday, January 16 at 3:00 PM.", reply.Reply);
        Assert.Equal("my_appointment", reply.Intent);
    }

    [Fact]
    public async Task A_que_hora_quedo_after_a_booking_names_it()
    {
        await BookAsync();

        var reply = await Say("¿a qué hora quedó?");

        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00.", reply.Reply);
    }

    [Theory]
    [InlineData("yes please go ahead and book it")]
    [InlineData("oh of course")]
    public async Task A_longer_or_softened_yes_asks_for_the_name(string yes)
    {
        await Say("tuesday at 10 in the morning");

        var reply = await Say(yes);

        Assert.Equal("confirm", reply.Intent);
        Assert.Contains("name", reply.Reply, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    // ---------------------------------------------------------------- bare times after a list

    [Theory]
    [InlineData("10 works", "10:00")]
    [InlineData("the 11", "11:00")]
    [InlineData("11", "11:00")]
    public async Task A_bare_time_listed_on_the_day_shown_is_proposed(string text, string time)
    {
        await Say("tomorrow morning?");

        var reply = await Say(text);

        Assert.Equal(("2025-01-16", time, (bool?)true), (reply.DateIso, reply.TimeLocal, reply.Available));
    }

    [Fact]
    public async Task No_wait_and_an_hour_picks_the_offered_time_at_that_hour()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        await Say("tomorrow at 3pm");

        var reply = await Say("no wait, 4");

        Assert.Equal(("2025-01-16", "16:00", (bool?)true), (reply.DateIso, reply.TimeLocal, reply.Available));
    }

    [Fact]
    public async Task A_bare_time_offered_on_several_days_asks_which_day()
    {
        await Say("sometime next week?");

        var asked = await Say("9");
        var chosen = await Say("tuesday");

        Assert.Null(asked.Available);
        Assert.StartsWith("Which one would you like: Monday, January 20 at 9:00 AM or Tuesday, January 21 at 9:00 AM or", asked.Reply);
        Assert.Equal(("2025-01-21", "09:00", (bool?)true), (chosen.DateIso, chosen.TimeLocal, chosen.Available));
    }

    [Fact]
    public async Task A_bare_time_offered_on_none_of_several_days_says_so_with_the_offered_ones()
    {
        await Say("la semana que viene");

        var reply = await Say("a las 3 mejor");

        Assert.StartsWith("Ninguno de los horarios que te ofrecí es a las 15:00; son el lunes 20 de enero a las 09:00,", reply.Reply);
        Assert.EndsWith("¿Te sirve alguno, o qué día te gustaría a las 15:00?", reply.Reply);
        Assert.Equal(5, reply.Offered.Count);
        Assert.NotEqual(true, reply.Available);
    }

    [Fact]
    public async Task A_time_not_listed_on_the_day_shown_is_checked_on_that_day()
    {
        await Say("mañana por la mañana");

        var reply = await Say("a las 3 mejor");

        Assert.Equal(("2025-01-16", "15:00", (bool?)true), (reply.DateIso, reply.TimeLocal, reply.Available));
    }

    [Fact]
    public async Task The_middle_one_of_three_is_proposed_and_of_an_even_list_asked()
    {
        Calendar.BusyHours["2025-01-16"] = [12, 13, 14, 15, 16];
        await Say("mañana");
        var even = await Say("la del medio");
        Calendar.BusyHours["2025-01-16"] = [12, 13, 14, 15, 16, 17];
        await Say("mañana");
        var odd = await Say("la del medio");

        Assert.StartsWith("¿Cuál te gustaría:", even.Reply);
        Assert.Equal(("2025-01-16", "10:00", (bool?)true), (odd.DateIso, odd.TimeLocal, odd.Available));
    }

    // ---------------------------------------------------------------- a weekday after next week's list

    [Fact]
    public async Task A_weekday_and_a_time_listed_in_next_weeks_list_is_that_weeks()
    {
        await Say("la semana que viene");

        var reply = await Say("el jueves a las 9");

        Assert.Equal(("2025-01-23", "09:00", (bool?)true), (reply.DateIso, reply.TimeLocal, reply.Available));
    }

    [Fact]
    public async Task A_weekday_alone_listed_in_next_weeks_list_lists_that_weeks_day()
    {
        await Say("next week");

        var reply = await Say("thursday");

        Assert.All(reply.Offered, o => Assert.StartsWith("2025-01-23", o));
        Assert.NotEmpty(reply.Offered);
    }

    // ---------------------------------------------------------------- helpers

    private async Task BookAsync(string request = "Quiero reservar para mañana a las 3 PM", string yes = "sí", string name = "Ana")
    {
        await Say(request);
        await Say(yes);
        var booked = await Say(name);
        Assert.Single(Calendar.CallsOf("book_appointment"));
        Assert.Equal((bool?)true, booked.Available);
    }
}
