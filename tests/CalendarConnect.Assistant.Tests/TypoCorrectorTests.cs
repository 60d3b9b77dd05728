using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Tests;

public class TypoCorrectorTests
{
    [Theory]
    [InlineData("mañna a las 3", "manana a las 3")]
    [InlineData("tomorow at 3", "tomorrow at 3")]
    [InlineData("tommorow at 3", "tomorrow at 3")]
    [InlineData("el vienes", "el viernes")]
    [InlineData("el mircoles", "el miercoles")]
    [InlineData("wensday at 2", "wednesday at 2")]
    [InlineData("wendesday", "wednesday")]
    [InlineData("febreo", "febrero")]
    [InlineData("quiero reservr", "quiero reservar")]
    [InlineData("my apointment", "my appointment")]
    public void One_slip_in_a_date_or_intent_word_is_fixed(string typed, string expected) =>
        Assert.Equal(expected, TypoCorrector.Correct(TextNormalizer.Normalize(typed)));

    /// <summary>Everyday words one edit away from the vocabulary stay what they are.</summary>
    [Theory]
    [InlineData("quiero saber el precio de la consulta")]
    [InlineData("necesito un turno para limpieza dental")]
    [InlineData("todas las tardes estoy libre")]
    [InlineData("voy en coche junto con mi hermana")]
    [InlineData("a que hora abren? quiero abrir una cuenta")]
    [InlineData("ya esta pagado")]
    [InlineData("buenas noches, tengo una pregunta")]
    [InlineData("perfecto, excelente, genial, gracias")]
    [InlineData("entonces tambien puedo ir el fin de semana")]
    [InlineData("what about another session next month")]
    [InlineData("that sounds great, thanks")]
    [InlineData("could you match the price")]
    [InlineData("where is the clinic located")]
    [InlineData("is there parking near the office")]
    [InlineData("i don't remember the address")]
    [InlineData("temprano por la mañanita")]
    public void Ordinary_words_are_left_alone(string text)
    {
        var normalized = TextNormalizer.Normalize(text);

        Assert.Equal(normalized, TypoCorrector.Correct(normalized));
    }
}
