using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Shared;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Writes whose outcome the assistant did not learn (its own timeout after the server booked, a "may or may not have
/// been made" answer) are asked again with the same arguments and idempotency key before the customer is answered,
/// and the customer is told what happened: made, not made, or could not be confirmed.
/// </summary>
public sealed class UnconfirmedWriteTests : FakeCalendarTest
{
    private const string Spec = "Quiero reservar para mañana a las 3 PM";
    private const string BookedReply = "Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!";
    private static readonly LocalDateTime Thursday15 = new(2025, 1, 16, 15, 0);

    /// <summary>The real server's answer when its deadline passed during a write (ToolDeadline.WriteUnconfirmed).</summary>
    private static readonly ToolFailure MayOrMayNot = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar did not answer in time, so this change may or may not have been made. Please try again with the same " +
        "arguments (and the same idempotency_key for a booking): repeating it never books or changes anything twice.");

    private readonly FakeTimeProvider clock = new(AssistantHost.Wednesday);

    protected override TimeProvider? Time => clock;

    private McpCalendarOptions Settings => Services.GetRequiredService<IOptions<McpCalendarOptions>>().Value;

    private List<ReceivedCall> Bookings => Calendar.CallsOf("book_appointment").ToList();

    private async Task ProposeAndAskName()
    {
        await Say(Spec);
        Assert.Equal(ReplyTexts.AskName(Understanding.Language.Spanish), (await Say("Sí")).Reply);
    }

    [Fact]
    public void The_write_timeout_is_above_the_MCP_servers_whole_budget()
    {
        Assert.True(Settings.WriteCallTimeout > McpCalendarOptions.McpServerToolBudget);
        Assert.True(Settings.WriteAttempts > 1);
        var tooShort = new McpCalendarOptions { ApiKey = "k", WriteCallTimeout = McpCalendarOptions.McpServerToolBudget };
        Assert.Contains("must be above the MCP server's budget", tooShort.Problem());
    }

    [Fact]
    public async Task A_booking_the_server_made_after_the_assistant_stopped_waiting_is_asked_again_and_told_as_booked()
    {
        await ProposeAndAskName();
        Calendar.HoldNextBookingAnswers = 1;
        var naming = Say("Ana");
        await Eventually.TrueAsync(() => Task.FromResult(!Calendar.Appointments.IsEmpty), "the server booked and holds its answer");
        Assert.False(naming.IsCompleted);

        clock.Advance(Settings.WriteCallTimeout);
        var reply = await naming;

        Assert.Equal(BookedReply, reply.Reply);
        Assert.Equal(2, Bookings.Count);
        Assert.Equal(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
        Assert.Single(Calendar.Appointments);
        Assert.Contains("16 de enero", (await Say("¿Cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task A_booking_answered_may_or_may_not_is_asked_again_before_the_customer_is_answered()
    {
        await ProposeAndAskName();
        Calendar.BookingFailures.Enqueue(MayOrMayNot);

        var reply = await Say("Ana");

        Assert.Equal(BookedReply, reply.Reply);
        Assert.Equal(2, Bookings.Count);
        Assert.Equal(Bookings[0].Arguments, Bookings[1].Arguments);
        Assert.Single(Calendar.Appointments);
    }

    [Fact]
    public async Task Still_unknown_after_every_attempt_the_customer_is_told_so_and_a_yes_checks_with_the_same_key()
    {
        await ProposeAndAskName();
        for (var i = 0; i < Settings.WriteAttempts; i++) Calendar.BookingFailures.Enqueue(MayOrMayNot);

        var unsure = await Say("Ana");

        Assert.Equal(ReplyTexts.BookingUnconfirmed(Thursday15, Understanding.Language.Spanish), unsure.Reply);
        Assert.Equal(Settings.WriteAttempts, Bookings.Count);
        Assert.Empty(Calendar.Appointments);

        var checkedAgain = await Say("sí");

        Assert.Equal(BookedReply, checkedAgain.Reply);
        Assert.Equal(Settings.WriteAttempts + 1, Bookings.Count);
        Assert.Single(Bookings.Select(b => b.Arguments!["idempotency_key"]).Distinct());
        Assert.Single(Calendar.Appointments);
    }

    [Fact]
    public async Task A_certain_refusal_is_not_asked_again()
    {
        await ProposeAndAskName();
        Calendar.BookingFailures.Enqueue(new ToolFailure(CalendarErrorCodes.NotConnected, FakeCalendarServer.NotConnectedMessage));

        var reply = await Say("Ana");

        Assert.Equal(ReplyTexts.CalendarUnavailable(CalendarErrorCodes.NotConnected, Understanding.Language.Spanish), reply.Reply);
        Assert.Single(Bookings);
    }

    [Fact]
    public async Task A_move_or_a_cancellation_answered_may_or_may_not_is_asked_again()
    {
        await ProposeAndAskName();
        Assert.Equal(BookedReply, (await Say("Ana")).Reply);
        var eventId = Assert.Single(Calendar.Appointments.Keys);

        await Say("quiero cambiar mi turno al viernes a las 10");
        Calendar.BookingFailures.Enqueue(MayOrMayNot);
        var moved = await Say("sí");

        Assert.StartsWith("Listo, cambié tu turno", moved.Reply);
        var moves = Calendar.CallsOf("reschedule_appointment").ToList();
        Assert.Equal(2, moves.Count);
        Assert.Equal(moves[0].Arguments, moves[1].Arguments);
        Assert.Equal("2025-01-17T10:00:00-03:00", Calendar.Appointments[eventId].Start);

        await Say("cancelar mi turno");
        Calendar.CancelFailures.Enqueue(MayOrMayNot);
        var cancelled = await Say("sí");

        Assert.StartsWith("Listo, cancelé tu turno", cancelled.Reply);
        Assert.Equal(2, Calendar.CallsOf("cancel_appointment").Count());
        Assert.Empty(Calendar.Appointments);
    }

    [Fact]
    public async Task A_move_still_unknown_after_every_attempt_is_told_as_not_confirmed()
    {
        await ProposeAndAskName();
        await Say("Ana");
        await Say("quiero cambiar mi turno al viernes a las 10");
        for (var i = 0; i < Settings.WriteAttempts; i++) Calendar.BookingFailures.Enqueue(MayOrMayNot);

        var unsure = await Say("sí");

        Assert.Equal(ReplyTexts.MoveUnconfirmed(new LocalDateTime(2025, 1, 17, 10, 0), Understanding.Language.Spanish), unsure.Reply);
        Assert.StartsWith("Listo, cambié tu turno", (await Say("sí")).Reply);
    }
}
