using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// What the assistant answers to the seventh round's categories (issue 12): opening hours, a past day named with its
/// weekday, "first thing". Today is Wednesday 15 January 2025, 10:00; weekdays are free from 09:00 to 18:00.
/// </summary>
public sealed class RoundSevenDialogueTests : FakeCalendarTest
{
    [Fact]
    public async Task A_question_about_opening_hours_gets_the_help_answer_and_lists_no_times()
    {
        var reply = await Say("¿a qué hora cierran el viernes?");

        Assert.Equal("help", reply.Intent);
        Assert.Equal(ReplyTexts.OpeningHours(Language.Spanish), reply.Reply);
        Assert.Empty(reply.Offered);
        Assert.Empty(Calendar.Calls);
    }

    [Fact]
    public async Task Opening_hours_asked_during_a_proposal_ask_the_proposal_again()
    {
        Assert.True((await Say("friday at 2pm")).Available);

        var reply = await Say("wait do you open on saturdays");

        Assert.Equal("help", reply.Intent);
        Assert.Equal(ReplyTexts.OpeningHours(Language.English) + " Shall I book Friday, January 17 at 2:00 PM for you? Please answer \"yes\" or \"no\".", reply.Reply);
        Assert.Equal("confirm", (await Say("yes")).Intent);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task A_past_day_named_with_its_weekday_has_passed()
    {
        var reply = await Say("el martes 14 a las 4");

        Assert.Equal("El martes 14 de enero ya pasó. ¿Para qué otro día te gustaría reservar?", reply.Reply);
        Assert.Null(reply.Available);
    }

    [Fact]
    public async Task First_thing_proposes_the_days_first_free_time()
    {
        Calendar.BusyHours["2025-01-16"] = [9];

        var reply = await Say("mañana a primera hora");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 10:00?", reply.Reply);
        Assert.True(reply.Available);
    }
}
