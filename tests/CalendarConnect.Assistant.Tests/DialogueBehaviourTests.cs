using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// What the dialogue does with ranges, periods, picks from a list, ruled-out days and times, follow-ups after a booking
/// and a change of plan while the name is asked (issue 12). Each message is given as the parser's reading of it, so
/// these pin the dialogue whatever words the parser learns; today is Wednesday 15 January 2025, 10:00, and weekdays
/// are free from 09:00 to 18:00 unless a test says otherwise.
/// </summary>
public sealed class DialogueBehaviourTests : FakeCalendarTest
{
    private static readonly DateExpression Tomorrow = new RelativeDay(1);
    private static readonly DateExpression Monday = new NextWeekday(IsoDayOfWeek.Monday);
    private static readonly DateExpression Tuesday = new NextWeekday(IsoDayOfWeek.Tuesday);
    private static readonly DateExpression Friday = new NextWeekday(IsoDayOfWeek.Friday);

    // ---------------------------------------------------------------- ranges

    [Fact]
    public async Task A_range_lists_the_free_starts_inside_it_and_never_its_end()
    {
        Calendar.BusyHours["2025-01-16"] = [16];

        var reply = await Mean("mañana entre las 3 y las 6", Es(Intent.CheckAvailability, Tomorrow) with { Range = new TimeRange(new(15, 0), new(18, 0)) });

        Assert.Equal("El jueves 16 de enero entre las 15:00 y las 18:00 hay estos horarios libres: 15:00 y 17:00. ¿Cuál te gustaría?", reply.Reply);
        Assert.Equal(["2025-01-16T15:00", "2025-01-16T17:00"], reply.Offered);
        Assert.Null(reply.Available);
    }

    [Fact]
    public async Task The_last_of_a_ranges_times_is_proposed_not_booked()
    {
        await Mean("mañana entre las 3 y las 6", Es(Intent.CheckAvailability, Tomorrow) with { Range = new TimeRange(new(15, 0), new(18, 0)) });

        var reply = await Mean("la última", Es(Intent.Other) with { Selection = new SelectionByPosition(1, FromEnd: true) });

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 17:00?", reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Nothing_free_inside_a_range_says_so_and_offers_the_nearest_but_not_its_end()
    {
        Calendar.BusyHours["2025-01-16"] = [10, 11, 12];

        var reply = await Mean("mañana entre las 10 y las 13", Es(Intent.CheckAvailability, Tomorrow) with { Range = new TimeRange(new(10, 0), new(13, 0)) });

        Assert.Equal(
            "Lo siento, el jueves 16 de enero entre las 10:00 y las 13:00 no hay horarios libres. Los horarios libres más cercanos son 09:00 y 14:00. ¿Te sirve alguno?",
            reply.Reply);
        Assert.Equal(["2025-01-16T09:00", "2025-01-16T14:00"], reply.Offered);
        Assert.Equal(false, reply.Available);
    }

    [Fact]
    public async Task A_range_without_a_day_asks_for_the_day_and_keeps_the_range()
    {
        var asked = await Mean("between 1 and 4pm", En(Intent.CheckAvailability) with { Range = new TimeRange(new(13, 0), new(16, 0)) });
        var listed = await Mean("friday", En(Intent.CheckAvailability, Friday));

        Assert.Equal("What day would you like to book, between 1:00 PM and 4:00 PM?", asked.Reply);
        Assert.Equal("On Friday, January 17 between 1:00 PM and 4:00 PM these times are free: 1:00 PM, 2:00 PM and 3:00 PM. Which one would you like?", listed.Reply);
    }

    // ---------------------------------------------------------------- periods longer than a day

    [Fact]
    public async Task A_week_lists_a_handful_of_times_spread_over_its_days_and_says_how_to_ask_for_more()
    {
        var reply = await Mean("la semana que viene", Es(Intent.CheckAvailability) with { Span = Days(new(2025, 1, 20), new(2025, 1, 26)) });

        Assert.Equal(
            "Entre el lunes 20 de enero y el domingo 26 de enero hay horarios libres, por ejemplo el lunes 20 de enero a las 09:00, el martes 21 de enero a las 09:00, " +
            "el miércoles 22 de enero a las 09:00, el jueves 23 de enero a las 09:00 y el viernes 24 de enero a las 09:00. ¿Te sirve alguno? " +
            "Para ver otras opciones, dime un día o una hora, por ejemplo «el jueves» o «el martes a las 16».",
            reply.Reply);
        Assert.Equal(5, reply.Offered.Count);
        Assert.Equal(5, reply.Offered.Select(o => o[..10]).Distinct().Count());
    }

    [Fact]
    public async Task A_period_of_two_days_shares_the_handful_between_them_within_the_part_of_day()
    {
        var reply = await Mean("thursday or friday morning", En(Intent.CheckAvailability) with
        {
            Span = Days(new(2025, 1, 16), new(2025, 1, 17)),
            Period = PartOfDay.Morning,
        });

        Assert.Equal(["2025-01-16T09:00", "2025-01-16T10:00", "2025-01-16T11:00", "2025-01-17T09:00", "2025-01-17T11:00"], reply.Offered);
    }

    [Fact]
    public async Task A_time_picked_from_a_periods_list_is_proposed_with_its_own_day()
    {
        await Mean("next week", En(Intent.CheckAvailability) with { Span = Days(new(2025, 1, 20), new(2025, 1, 26)) });

        var reply = await Mean("the third one", En(Intent.Other) with { Selection = new SelectionByPosition(3) });

        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Wednesday, January 22 at 9:00 AM?", reply.Reply);
    }

    [Fact]
    public async Task A_period_with_nothing_free_offers_the_next_free_times_after_it()
    {
        var reply = await Mean("el próximo fin de semana", Es(Intent.CheckAvailability) with { Span = Days(new(2025, 1, 18), new(2025, 1, 19)) });

        Assert.Equal(
            "Lo siento, entre el sábado 18 de enero y el domingo 19 de enero no hay horarios libres. Los próximos horarios libres son el lunes 20 de enero a las 09:00, 10:00 y 11:00. ¿Te sirve alguno?",
            reply.Reply);
        Assert.Equal(["2025-01-20T09:00", "2025-01-20T10:00", "2025-01-20T11:00"], reply.Offered);
    }

    [Fact]
    public async Task A_period_that_began_before_today_lists_only_what_is_still_ahead()
    {
        var reply = await Mean("esta semana", Es(Intent.CheckAvailability) with { Span = Days(new(2025, 1, 13), new(2025, 1, 19)) });

        Assert.All(reply.Offered, o => Assert.True(string.CompareOrdinal(o, "2025-01-15T10:00") > 0, o));
        Assert.StartsWith("Entre el miércoles 15 de enero y el domingo 19 de enero", reply.Reply);
    }

    [Fact]
    public void Spreading_takes_evenly_chosen_days_and_shares_the_rest_within_them()
    {
        static IReadOnlyList<LocalDateTime> Day(int day) => Enumerable.Range(9, 9).Select(h => new LocalDateTime(2025, 1, day, h, 0)).ToList();

        var overSeven = Dialogue.PeriodListing.Spread([Day(20), Day(21), Day(22), Day(23), Day(24), Day(25), Day(26)], 5);
        var overTwo = Dialogue.PeriodListing.Spread([Day(20), Day(21)], 5);

        Assert.Equal([20, 22, 23, 24, 26], overSeven.Select(t => t.Day));
        Assert.Equal([new LocalTime(9, 0), new LocalTime(13, 0), new LocalTime(17, 0)], overTwo.Where(t => t.Day == 20).Select(t => t.TimeOfDay));
        Assert.Equal([new LocalTime(9, 0), new LocalTime(17, 0)], overTwo.Where(t => t.Day == 21).Select(t => t.TimeOfDay));
    }

    // ---------------------------------------------------------------- picks from the list just shown

    [Fact]
    public async Task A_time_picked_from_a_days_list_is_proposed()
    {
        await Mean("¿qué hay mañana?", Es(Intent.CheckAvailability, Tomorrow));

        var reply = await Mean("la de las 11", Es(Intent.CheckAvailability, time: new LocalTime(11, 0)) with
        {
            MeridiemAssumed = true,
            Selection = new SelectionByTime(new LocalTime(11, 0), MeridiemAssumed: true),
        });

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 11:00?", reply.Reply);
    }

    [Fact]
    public async Task A_pick_beyond_the_list_asks_which_of_the_listed_ones()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        await Say("Quiero reservar para mañana a las 3 PM");

        var reply = await Mean("la quinta", Es(Intent.Other) with { Selection = new SelectionByPosition(5) });

        Assert.Equal("¿Cuál te gustaría: el jueves 16 de enero a las 14:00 o el jueves 16 de enero a las 16:00?", reply.Reply);
        Assert.Equal(["2025-01-16T14:00", "2025-01-16T16:00"], reply.Offered);
    }

    [Fact]
    public async Task An_appointment_to_cancel_is_picked_by_its_time()
    {
        await BookAsync("Quiero reservar mañana a las 3 PM");
        await BookAsync("Quiero reservar el viernes a las 11");
        await Say("quiero cancelar mi turno");

        var reply = await Mean("el de las 11", Es(Intent.Other) with { Selection = new SelectionByTime(new LocalTime(11, 0), MeridiemAssumed: true) });

        Assert.Equal("¿Confirmas que quieres cancelar tu turno del viernes 17 de enero a las 11:00? Responde «sí» o «no».", reply.Reply);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
    }

    // ---------------------------------------------------------------- ruled out days and times

    [Fact]
    public async Task A_ruled_out_day_alone_offers_other_days_and_never_that_one()
    {
        await Mean("el lunes a las 10", Es(Intent.CheckAvailability, Monday, new LocalTime(10, 0)));

        var reply = await Mean("el lunes no me sirve", Es(Intent.Decline) with { RuledOutDate = Monday });

        Assert.Equal(
            "De acuerdo, el lunes 20 de enero no. Otros días con horarios libres: el miércoles 15 de enero a las 11:00, el jueves 16 de enero a las 10:00 y el viernes 17 de enero a las 10:00. " +
            "¿Te sirve alguno, o prefieres otro día?",
            reply.Reply);
        Assert.DoesNotContain(reply.Offered, o => o.StartsWith("2025-01-20", StringComparison.Ordinal));
        Assert.Empty(Calendar.CallsOf("book_appointment"));
        // The yes that follows is to nothing in particular: it asks which, it books nothing.
        var yes = await Say("sí");
        Assert.StartsWith("¿Cuál te gustaría", yes.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_ruled_out_day_with_another_asks_about_the_other_one()
    {
        await Mean("el lunes a las 10", Es(Intent.CheckAvailability, Monday, new LocalTime(10, 0)));

        var reply = await Mean("el lunes no me sirve, ¿el martes?", Es(Intent.CheckAvailability, Tuesday) with { RuledOutDate = Monday });

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el martes 21 de enero a las 10:00?", reply.Reply);
    }

    [Fact]
    public async Task The_day_being_discussed_is_not_proposed_once_ruled_out()
    {
        await Mean("¿qué hay el lunes?", Es(Intent.CheckAvailability, Monday));

        var reply = await Mean("no, el lunes no; ¿a las 10?", Es(Intent.CheckAvailability, time: new LocalTime(10, 0)) with { RuledOutDate = Monday });

        Assert.StartsWith("De acuerdo, el lunes 20 de enero no.", reply.Reply);
        Assert.DoesNotContain(reply.Offered, o => o.StartsWith("2025-01-20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ruled_out_time_is_never_among_the_nearest_free_times()
    {
        Calendar.BusyHours["2025-01-16"] = [16];
        await Say("Quiero reservar para mañana a las 3 PM");

        var reply = await Mean("not at 3, at 4?", En(Intent.CheckAvailability, time: new LocalTime(16, 0)) with { RuledOutTime = new LocalTime(15, 0) });

        Assert.Equal(["2025-01-16T14:00", "2025-01-16T17:00"], reply.Offered);
        Assert.DoesNotContain("3:00 PM", reply.Reply.Replace("on Thursday", "", StringComparison.Ordinal).Split("available.")[1]);
    }

    [Fact]
    public async Task A_ruled_out_time_alone_lists_the_days_other_times()
    {
        Calendar.BusyHours["2025-01-16"] = [9, 10, 11, 12, 13];
        await Say("Quiero reservar para mañana a las 3 PM");

        var reply = await Mean("a las 3 no puedo", Es(Intent.Decline) with { RuledOutTime = new LocalTime(15, 0) });

        Assert.Equal("Para el jueves 16 de enero hay estos horarios libres: 14:00, 16:00 y 17:00. ¿A qué hora te gustaría?", reply.Reply);
    }

    // ---------------------------------------------------------------- follow-ups after a booking

    [Fact]
    public async Task A_time_alone_after_a_booking_moves_it_on_its_own_day_after_a_yes()
    {
        await BookAsync();

        var proposal = await Mean("¿lo podés cambiar a las 11?", Es(Intent.Reschedule, time: new LocalTime(11, 0)) with { MeridiemAssumed = true });

        Assert.Equal(
            "El jueves 16 de enero a las 11:00 está disponible. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al jueves 16 de enero a las 11:00?",
            proposal.Reply);
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        var done = await Say("sí");
        Assert.StartsWith("Listo, cambié tu turno", done.Reply);
        Assert.Equal("2025-01-16T11:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    [Fact]
    public async Task It_after_a_second_booking_is_the_appointment_just_booked()
    {
        await BookAsync("Quiero reservar mañana a las 3 PM");
        await BookAsync("Quiero reservar el viernes a las 11");

        var proposal = await Mean("can we push it to 4?", En(Intent.Reschedule, time: new LocalTime(16, 0)) with { MeridiemAssumed = true });

        Assert.Equal(
            "Friday, January 17 at 4:00 PM is available. Shall I move your appointment from Friday, January 17 at 11:00 AM to Friday, January 17 at 4:00 PM?",
            proposal.Reply);
    }

    [Fact]
    public async Task A_move_without_a_new_time_keeps_the_appointments_day_for_the_time_given_next()
    {
        await BookAsync();
        await Say("quiero cambiar mi turno");

        var reply = await Mean("a las 11", Es(Intent.CheckAvailability, time: new LocalTime(11, 0)) with { MeridiemAssumed = true });

        Assert.StartsWith("El jueves 16 de enero a las 11:00 está disponible. ¿Confirmas que cambio tu turno", reply.Reply);
    }

    // ---------------------------------------------------------------- a change of plan while the name is asked

    [Fact]
    public async Task A_new_request_while_the_name_is_asked_is_checked_and_proposed_instead()
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        await Say("sí");

        var proposal = await Mean("mejor el viernes a las 10", Es(Intent.CheckAvailability, Friday, new LocalTime(10, 0)) with { MeridiemAssumed = true });

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el viernes 17 de enero a las 10:00?", proposal.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
        await Say("sí");
        var done = await Say("Ana");
        Assert.Equal("Listo, reservé tu turno para el viernes 17 de enero a las 10:00. ¡Te esperamos!", done.Reply);
        Assert.Equal("2025-01-17T10:00:00-03:00", Assert.Single(Calendar.Appointments.Values).Start);
    }

    // ---------------------------------------------------------------- helpers

    private Task<AssistantReply> Mean(string text, ParsedMessage parsed) =>
        Assistant.ReplyToParsedAsync(Company, "conv-1", text, parsed, TestContext.Current.CancellationToken);

    private async Task BookAsync(string request = "Quiero reservar para mañana a las 3 PM")
    {
        await Say(request);
        // The name is asked once per conversation; a later booking takes the yes alone.
        var yes = await Say("sí");
        Assert.StartsWith("Listo", yes.Reply.StartsWith("Listo", StringComparison.Ordinal) ? yes.Reply : (await Say("Ana")).Reply);
    }

    private static ParsedMessage Es(Intent intent, DateExpression? date = null, LocalTime? time = null) => new(Language.Spanish, intent, date, time);

    private static ParsedMessage En(Intent intent, DateExpression? date = null, LocalTime? time = null) => new(Language.English, intent, date, time);

    private static DateSpan Days(LocalDate first, LocalDate last) => new FixedDays(first, last);

    /// <summary>A period as the parser resolves one ("next week"): its first and last day.</summary>
    private sealed record FixedDays(LocalDate First, LocalDate Last) : DateSpan
    {
        public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today) => (First, Last);
    }
}
