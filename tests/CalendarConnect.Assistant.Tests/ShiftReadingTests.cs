using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Tests;

/// <summary>How a shift of the time being talked about is read (<see cref="ParsedMessage.Shift"/>), and what is not one.</summary>
public sealed class ShiftReadingTests
{
    [Theory]
    [InlineData("¿la podemos retrasar una hora?", 60)]
    [InlineData("retrásala una hora", 60)]
    [InlineData("¿me lo atrasás una hora?", 60)]
    [InlineData("make it an hour later", 60)]
    [InlineData("push it back an hour", 60)]
    [InlineData("pls push it back an hr", 60)]
    [InlineData("push it back by 2 hours", 120)]
    [InlineData("dos horas más tarde", 120)]
    [InlineData("una hora y media después", 90)]
    [InlineData("adelantala media hora", -30)]
    [InlineData("can we do 30 minutes earlier", -30)]
    [InlineData("bring it forward half an hour", -30)]
    [InlineData("¿me la adelantas dos horas?", -120)]
    [InlineData("un cuarto de hora antes", -15)]
    [InlineData("can we do the day before instead, same time", -1440)]
    [InlineData("could we do the day after instead", 1440)]
    [InlineData("el día anterior a la misma hora", -1440)]
    [InlineData("un día después", 1440)]
    [InlineData("can you push it back a week", 10080)]
    [InlineData("adelantalo dos días", -2880)]
    public void A_shift_with_its_amount(string text, int minutes)
    {
        var parsed = MessageParser.Parse(text);

        Assert.Equal(minutes, parsed.Shift?.SignedMinutes);
        // Its amount is never read as a time of its own ("una hora" is not 1:00).
        Assert.Null(parsed.Time);
    }

    [Theory]
    [InlineData("un rato más tarde", true)]
    [InlineData("a bit later", true)]
    [InlineData("make it later", true)]
    [InlineData("un poco más temprano", false)]
    public void A_shift_without_an_amount(string text, bool later)
    {
        var shift = MessageParser.Parse(text).Shift;

        Assert.Equal((later, (int?)null), (shift?.Later, shift?.Minutes));
    }

    [Theory]
    [InlineData("dentro de una hora")]
    [InlineData("te confirmo más tarde")]
    [InlineData("después de las 3")]
    [InlineData("¿lo podés correr media hora?")]
    [InlineData("mañana a las 10")]
    [InlineData("the day after tomorrow at 10")]
    [InlineData("not tomorrow, the day after, at 3")]
    public void Not_a_shift(string text) => Assert.Null(MessageParser.Parse(text).Shift);
}
