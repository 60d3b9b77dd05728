using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Nothing is booked, moved or cancelled without the customer's explicit yes to exactly that: a "don't", a question
/// or a change of mind is never read as one (fake MCP server; today is Wednesday 15 January 2025, 10:00, Buenos Aires).
/// </summary>
public sealed class ExplicitYesTests : FakeCalendarTest
{
    private async Task BookAsync(string request = "Quiero reservar para mañana a las 3 PM")
    {
        Assert.True((await Say(request)).Available);
        var afterYes = await Say("sí");
        if (afterYes.Reply == ReplyTexts.AskName(Language.Spanish) || afterYes.Reply == ReplyTexts.AskName(Language.English))
            afterYes = await Say("Ana");
        Assert.Equal(true, afterYes.Available);
    }

    [Theory]
    [InlineData("please don't cancel")]
    [InlineData("don't cancel it")]
    [InlineData("don’t cancel it")]
    [InlineData("wait, don't cancel")]
    [InlineData("ya no quiero cancelar")]
    [InlineData("no lo canceles")]
    [InlineData("no cancelar")]
    public async Task A_no_to_the_cancellation_keeps_the_appointment(string answer)
    {
        await BookAsync();
        Assert.StartsWith("¿Confirmas que quieres cancelar", (await Say("quiero cancelar mi turno")).Reply);

        var kept = await Say(answer);
        await Say("sí");

        Assert.Empty(Calendar.CallsOf("cancel_appointment"));
        Assert.Single(Calendar.Appointments);
        Assert.DoesNotContain("cancelé", kept.Reply);
    }

    [Fact]
    public async Task Cancel_words_without_a_yes_ask_again_and_only_yes_cancels()
    {
        await BookAsync();
        await Say("quiero cancelar mi turno");

        var again = await Say("cancelar");
        Assert.StartsWith("¿Confirmas que quieres cancelar", again.Reply);
        Assert.Empty(Calendar.CallsOf("cancel_appointment"));

        Assert.StartsWith("Listo, cancelé", (await Say("sí")).Reply);
        Assert.Single(Calendar.CallsOf("cancel_appointment"));
    }

    [Theory]
    [InlineData("espera")]
    [InlineData("wait")]
    [InlineData("mejor otro día")]
    [InlineData("cambié de opinión")]
    [InlineData("hold on")]
    public async Task Taking_the_yes_back_instead_of_a_name_books_nothing(string answer)
    {
        await Say("Quiero reservar para mañana a las 3 PM");
        Assert.Equal(ReplyTexts.AskName(Language.Spanish), (await Say("sí")).Reply);

        await Say(answer);
        var after = await Say("Ana");

        Assert.Empty(Calendar.CallsOf("book_appointment"));
        Assert.NotEqual(true, after.Available);
    }

    [Theory]
    [InlineData("Mejor Otro Día")]
    [InlineData("espera")]
    [InlineData("cancelar")]
    [InlineData("mañana")]
    public void Words_the_assistant_reads_are_no_name(string text) => Assert.Null(PersonName.Read(text));

    [Theory]
    [InlineData("Ana")]
    [InlineData("María de la Cruz")]
    [InlineData("me llamo Ana García")]
    [InlineData("April")]
    [InlineData("my name is June Smith")]
    public void Names_are_still_names(string text) => Assert.NotNull(PersonName.Read(text));

    [Theory]
    [InlineData("its for maria lopez", "Maria Lopez")]
    [InlineData("it's for Ana Gil", "Ana Gil")]
    [InlineData("put it under the name Tom Hill", "Tom Hill")]
    public void The_words_before_a_name_are_not_part_of_it(string text, string name) => Assert.Equal(name, PersonName.Read(text));

    [Theory]
    [InlineData("¿Cómo hago para confirmar?")]
    [InlineData("how do I confirm?")]
    [InlineData("si tengo que pagar antes?")]
    [InlineData("si llueve igual abren")]
    [InlineData("ok pero cuánto sale?")]
    [InlineData("perfecto, ¿y cuánto sale?")]
    public async Task A_question_is_no_yes(string question)
    {
        Assert.True((await Say("Quiero reservar para mañana a las 3 PM")).Available);

        var reply = await Say(question);

        Assert.Empty(Calendar.CallsOf("book_appointment"));
        Assert.NotEqual(ReplyTexts.AskName(Language.Spanish), reply.Reply);
        Assert.NotEqual(ReplyTexts.AskName(Language.English), reply.Reply);
    }

    [Fact]
    public async Task A_yes_to_moving_an_appointment_no_longer_remembered_books_nothing()
    {
        var start = new NodaTime.LocalDateTime(2025, 1, 17, 10, 0).WithOffset(NodaTime.Offset.FromHours(-3));
        var state = new Conversations.ConversationState(Language.Spanish)
            with { Topic = new Conversations.Proposing(new Conversations.ProposedAppointment(start, 60), MoveEventId: "evt-forgotten"), PersonName = "Ana" };
        await Services.GetRequiredService<Conversations.IConversationStore>().SetAsync(Company, "conv-1", state, TestContext.Current.CancellationToken);

        var reply = await Say("sí");

        Assert.Empty(Calendar.CallsOf("book_appointment"));
        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        Assert.NotEqual(true, reply.Available);
    }

    [Theory]
    [InlineData("reservar el 20/01/2026 a las 10", "martes 20 de enero de 2026")]
    [InlineData("book January 20 2026 at 10am", "Tuesday, January 20, 2026")]
    public async Task A_date_in_another_year_is_shown_with_its_year(string request, string expected)
    {
        var reply = await Say(request);

        Assert.Contains(expected, reply.Reply);
        Assert.DoesNotContain("2025", (await Say("el 16 de enero a las 10")).Reply);
    }

    [Fact]
    public async Task A_time_the_clock_shows_twice_says_which_one_is_proposed()
    {
        // New York, Sunday 2 November 2025: 01:00-02:00 happens twice (EDT -04:00, then EST -05:00).
        Calendar.Now = "2025-10-30T10:00:00-04:00";
        Calendar.TimeZone = "America/New_York";
        Calendar.RawAnswers["get_available_slots"] = "{\"date\":\"2025-11-02\",\"time_zone\":\"America/New_York\",\"slots\":["
            + "{\"start\":\"2025-11-02T01:00:00-05:00\",\"end\":\"2025-11-02T02:00:00-05:00\"}]}";

        var reply = await Say("book November 2 at 1am");

        Assert.True(reply.Available, reply.Reply);
        Assert.True(reply.Reply.Contains("this is the second one (UTC-05:00).", StringComparison.Ordinal) && reply.Reply.Contains("Sunday, November 2 at 1:00 AM", StringComparison.Ordinal), reply.Reply);

    }

    [Theory]
    [InlineData("mañana a las ３")]
    [InlineData("mañana a las ١٠")]
    [InlineData("el ２９ de febrero")]
    public async Task Digits_of_any_script_are_read_and_never_throw(string text)
    {
        var reply = await Say(text);
        Assert.False(string.IsNullOrWhiteSpace(reply.Reply));
    }

    [Theory]
    [InlineData("tomorrow at 3pm", "yes, name is Paul Walker", "Paul Walker")]
    [InlineData("tomorrow at 3pm", "sure, it's for Mia Long", "Mia Long")]
    [InlineData("mañana a las 15", "dale, a nombre de Ana Gómez", "Ana Gómez")]
    [InlineData("mañana a las 15", "de acuerdo, soy Luis", "Luis")]
    public async Task A_yes_that_gives_the_name_books_under_that_name(string request, string answer, string name)
    {
        Assert.True((await Say(request)).Available);

        await Say(answer);

        Assert.Equal(name, Assert.Single(Calendar.Appointments).Value.CustomerName);
    }

    [Theory]
    [InlineData("tomorrow at 3pm", "yes, Laura Mills", "Laura Mills")]
    [InlineData("tomorrow at 3pm", "yes laura", "Laura")]
    [InlineData("tomorrow at 3pm", "yep - Tom Hardy", "Tom Hardy")]
    [InlineData("tomorrow at 3pm", "ok, Sam", "Sam")]
    [InlineData("tomorrow at 3pm", "yes its for Carla", "Carla")]
    [InlineData("tomorrow at 3pm", "yes it's for paul", "Paul")]
    [InlineData("tomorrow at 3pm", "sure, it's Dan Ruiz", "Dan Ruiz")]
    [InlineData("tomorrow at 3pm", "ok name Ryan", "Ryan")]
    [InlineData("tomorrow at 3pm", "perfect, it's for Zoe Park", "Zoe Park")]
    [InlineData("tomorrow at 3pm", "ok book it, Jack", "Jack")]
    [InlineData("tomorrow at 3pm", "yes please book it for Nora", "Nora")]
    [InlineData("mañana a las 15", "sí, Marta", "Marta")]
    [InlineData("mañana a las 15", "si dale, Joaquín", "Joaquín")]
    [InlineData("mañana a las 15", "dale, Pedro Gil", "Pedro Gil")]
    [InlineData("mañana a las 15", "vale, Lucía", "Lucía")]
    [InlineData("mañana a las 15", "sí va, Andrea", "Andrea")]
    [InlineData("mañana a las 15", "órale sí, Memo", "Memo")]
    [InlineData("mañana a las 15", "sí, es para Rocío", "Rocío")]
    [InlineData("mañana a las 15", "sí, a nombre de Lalo", "Lalo")]
    [InlineData("mañana a las 15", "sí, soy Ramiro", "Ramiro")]
    [InlineData("mañana a las 15", "sí, resérvalo a nombre de Inés", "Inés")]
    [InlineData("mañana a las 15", "dale, anotalo a nombre de Sofi", "Sofi")]
    [InlineData("mañana a las 15", "sí, maría josé", "María José")]
    public async Task A_yes_and_a_bare_or_introduced_name_books_under_that_name(string request, string answer, string name)
    {
        Assert.True((await Say(request)).Available);

        var reply = await Say(answer);

        Assert.True(reply.Available, reply.Reply);
        Assert.Equal(name, Assert.Single(Calendar.Appointments).Value.CustomerName);
    }

    [Theory]
    [InlineData("tomorrow at 3pm", "yes please")]
    [InlineData("tomorrow at 3pm", "yes thanks")]
    [InlineData("tomorrow at 3pm", "yes pls")]
    [InlineData("tomorrow at 3pm", "ok plz")]
    [InlineData("tomorrow at 3pm", "yes thx")]
    [InlineData("mañana a las 15", "sí plis")]
    [InlineData("mañana a las 15", "dale porfi")]
    [InlineData("mañana a las 15", "sí xfa")]
    [InlineData("tomorrow at 3pm", "ok cool")]
    [InlineData("tomorrow at 3pm", "yes, sounds good")]
    [InlineData("tomorrow at 3pm", "ok, no problem")]
    [InlineData("tomorrow at 3pm", "yes, same time")]
    [InlineData("tomorrow at 3pm", "yes, book it")]
    [InlineData("tomorrow at 3pm", "yes 👍")]
    [InlineData("tomorrow at 3pm", "yes? maybe")]
    [InlineData("tomorrow at 3pm", "yes, of course")]
    [InlineData("tomorrow at 3pm", "yes, for my wife")]
    [InlineData("tomorrow at 3pm", "yes, tomorrow")]
    [InlineData("tomorrow at 3pm", "yes but friday")]
    [InlineData("mañana a las 15", "dale dalee")]
    [InlineData("mañana a las 15", "sí, gracias")]
    [InlineData("mañana a las 15", "sí perfecto")]
    [InlineData("mañana a las 15", "vale genial")]
    [InlineData("mañana a las 15", "sí, claro")]
    [InlineData("mañana a las 15", "sí, de una")]
    [InlineData("mañana a las 15", "sí, está bien")]
    [InlineData("mañana a las 15", "sí, para mi hermana")]
    [InlineData("mañana a las 15", "sí... bueno no")]
    [InlineData("mañana a las 15", "sí, a las 4")]
    [InlineData("mañana a las 15", "sí pero a las 5")]
    [InlineData("mañana a las 15", "sí, el jueves")]
    [InlineData("mañana a las 15", "sí, mañana mejor")]
    public async Task A_yes_followed_by_words_that_are_no_name_books_nothing(string request, string answer)
    {
        Assert.True((await Say(request)).Available);

        await Say(answer);

        Assert.Empty(Calendar.Appointments);
    }

    [Theory]
    [InlineData("yes laura", "yes", "Laura")]
    [InlineData("ok book it, Jack", "ok book it", "Jack")]
    [InlineData("sí, es para Rocío", "sí", "Rocío")]
    [InlineData("yep - Tom Hardy", "yep -", "Tom Hardy")]
    public void A_name_after_leading_words_is_cut_at_the_first_gap_that_leaves_only_a_name(string text, string before, string name) =>
        Assert.Equal((before, name), PersonName.NamesAfterLeadingWords(text).First());

    [Theory]
    [InlineData("please")]
    [InlineData("sounds good")]
    [InlineData("book it")]
    [InlineData("de una")]
    [InlineData("de la")]
    [InlineData("está bien")]
    [InlineData("mi hermana")]
    [InlineData("anotalo")]
    [InlineData("same time")]
    public void Everyday_words_after_a_yes_are_no_name(string text) => Assert.Null(PersonName.Read(text));

    [Theory]
    [InlineData("maybe, name is Paul Walker")]
    [InlineData("no, my name is Paul Walker")]
    [InlineData("name is Paul Walker")]
    [InlineData("is it free? name is Paul Walker")]
    public async Task A_name_without_an_explicit_yes_books_nothing(string answer)
    {
        Assert.True((await Say("tomorrow at 3pm")).Available);

        await Say(answer);

        Assert.Empty(Calendar.Appointments);
    }
}
