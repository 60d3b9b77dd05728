using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Two slots offered as alternatives in one message ("thursday at 10 or friday at 2") are never narrowed to the first:
/// the customer is asked which, and either can then be picked and is checked (fake MCP server; today is Wednesday
/// 15 January 2025, 10:00, Buenos Aires).
/// </summary>
public sealed class AlternativesTests : FakeCalendarTest
{
    [Theory]
    [InlineData("thursday at 10 or friday at 2", "Which would you prefer: Thursday, January 16 at 10:00 AM or Friday, January 17 at 2:00 PM? I'll check that one for you.")]
    [InlineData("el 20 a las 3 o el 21 a las 4", "¿Cuál prefieres: el lunes 20 de enero a las 15:00 o el martes 21 de enero a las 16:00? Te confirmo si está libre.")]
    [InlineData("el jueves a las 10 o el viernes", "¿Cuál prefieres: el jueves 16 de enero a las 10:00 o el viernes 17 de enero a las 10:00? Te confirmo si está libre.")]
    public async Task Two_alternatives_are_asked_about_and_neither_is_proposed(string message, string question)
    {
        var reply = await Say(message);

        Assert.Equal(question, reply.Reply);
        Assert.Null(reply.Available);
        Assert.Empty(reply.Offered);
    }

    [Fact]
    public async Task Either_alternative_can_then_be_picked_and_is_proposed_not_booked()
    {
        await Say("thursday at 10 or friday at 2");

        var reply = await Say("the second one");

        Assert.True(reply.Available);
        Assert.Equal(("2025-01-17", "14:00"), (reply.DateIso, reply.TimeLocal));
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }

    [Fact]
    public async Task Times_alone_as_alternatives_keep_the_proposed_day()
    {
        Assert.True((await Say("mañana a las 11")).Available);

        var reply = await Say("¿a las 3 o a las 4?");

        Assert.Equal("¿Cuál prefieres: el jueves 16 de enero a las 15:00 o el jueves 16 de enero a las 16:00? Te confirmo si está libre.", reply.Reply);
    }

    [Fact]
    public async Task A_yes_to_the_question_books_nothing_and_asks_which()
    {
        await Say("thursday at 10 or friday at 2");

        var reply = await Say("yes");

        Assert.Equal(ReplyTexts.PickOne([new(2025, 1, 16, 10, 0), new(2025, 1, 17, 14, 0)], new ReplyContext(Language.English)), reply.Reply);
        Assert.Empty(Calendar.CallsOf("book_appointment"));
    }
}
