using CalendarConnect.Backend.Storage;

namespace CalendarConnect.Backend.Tests;

public class WhatsAppNumberTests
{
    [Theory]
    [InlineData("+54 9 11 5555-0000", "+5491155550000")]
    [InlineData("5491155550000", "+5491155550000")]       // as WhatsApp's webhook writes it
    [InlineData("0054 9 11 5555 0000", "+5491155550000")]
    [InlineData("+34 612 34 56 78", "+34612345678")]
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    [InlineData(" +56 9 6123 4567 ", "+56961234567")]
    public void Numbers_as_people_and_WhatsApp_write_them_become_E164(string input, string expected) =>
        Assert.Equal(expected, WhatsAppNumber.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("12")]                                     // too short for any country
    [InlineData("+54 9 11 5555-0000 ext 3")]
    [InlineData("+1 415 555 2671; DROP TABLE customer_memory")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("+999 1234567")]                           // no such country code
    [InlineData("+5491155550000000000000000000000000000000000000")]
    public void Anything_else_is_not_a_number(string? input) => Assert.Null(WhatsAppNumber.Normalize(input));

    [Theory]
    [InlineData("+54 9 11 5555-0000", "+5491155550000")]
    [InlineData("0054 9 11 5555 0000", "+5491155550000")]
    [InlineData(" +34 612 34 56 78", "+34612345678")]
    public void Typed_numbers_with_plus_or_00_become_E164(string input, string expected) =>
        Assert.Equal(expected, WhatsAppNumber.NormalizeTyped(input));

    [Theory]
    [InlineData("9 11 2345-6789")]    // an Argentine mobile typed without +54: Normalize would read "+91…" (India)
    [InlineData("5491155550000")]     // digits only: fine from WhatsApp's webhook, not from a person
    [InlineData("11 5555-0000")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+999 1234567")]
    public void Typed_numbers_need_the_international_prefix(string? input) => Assert.Null(WhatsAppNumber.NormalizeTyped(input));

    [Fact]
    public void The_webhook_form_still_takes_digits_only() =>
        Assert.Equal("+5491155550000", WhatsAppNumber.Normalize("5491155550000"));
}
