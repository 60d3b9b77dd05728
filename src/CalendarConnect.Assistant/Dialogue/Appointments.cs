using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>The customer's own appointments: which one a cancellation or move is about, and "¿cuándo es mi turno?".</summary>
internal static class Appointments
{
    /// <summary>
    /// Answers from what this conversation booked. A question in progress (a proposal, the name, a move, a cancellation)
    /// is asked again after the list, so the next "sí" answers the question the last reply asked.
    /// </summary>
    public static Answer Listed(DialogueTurn turn)
    {
        var (state, words) = (turn.State, turn.Words);
        var starts = state.Booked.Select(a => a.Start).Order().ToList();
        var again = AskedAgain(state, words);
        var listing = starts.Count > 0 ? ReplyTexts.YourAppointments(starts, words)
            : again is null ? ReplyTexts.NoAppointment(words)
            : ReplyTexts.NoAppointmentYet(words);
        var text = again is null ? listing : listing + " " + again;
        return starts.Count == 0
            ? new Answer(turn.Reply(text, Intent.MyAppointment), state)
            : new Answer(turn.Reply(text, Intent.MyAppointment, starts[0].Date, starts[0].TimeOfDay), state);
    }

    /// <summary>The question the topic asked, worded again; null when it asked none that a yes or a name answers.</summary>
    internal static string? AskedAgain(ConversationState state, ReplyContext words) => state.Topic switch
    {
        Proposing { MoveEventId: null } p => ReplyTexts.ConfirmPending(p.Proposal.Start.LocalDateTime, words),
        Proposing { MoveEventId: { } id } p when state.Find(id) is { } moving =>
            ReplyTexts.ConfirmMovePending(moving.Start, p.Proposal.Start.LocalDateTime, words),
        AwaitingName => ReplyTexts.AskName(words),
        ConfirmingCancellation c when state.Find(c.EventId) is { } toCancel => ReplyTexts.ConfirmCancel(toCancel.Start, words),
        _ => null,
    };

    /// <param name="choosing">The message answers "¿cuál quieres cancelar?", so a day it names picks one of the appointments.</param>
    public static async Task<Answer> AskToCancelAsync(DialogueTurn turn, CancellationToken cancellationToken, bool choosing = false)
    {
        var (state, parsed) = (turn.State, turn.Parsed);
        var booked = state.Booked.OrderBy(a => a.Start).ToList();
        if (booked.Count == 0)
            return new Answer(turn.Reply(ReplyTexts.NothingToCancel(turn.Words), Intent.Cancel), state.NothingPending());

        Answer AskWhich(DialogueTurn asked) =>
            new(asked.Reply(ReplyTexts.AskWhichToCancel(booked.Select(a => a.Start).ToList(), asked.Words), Intent.Cancel),
                state.On(new ChoosingAppointment(AppointmentAction.Cancel)));

        var appointment = booked[0];
        if (parsed.MentionsDateOrTime)
        {
            // "Cancelar mi turno del viernes": the one on that day (and at that time, when said).
            try
            {
                var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
                turn = turn.Knowing(company);
                var understood = MessageUnderstanding.Resolve(parsed, company.Now, turn.Language);
                var matches = Matching(state, understood);
                // Their only appointment is on another day: never offer to cancel it as if it were the one named.
                if (matches.Count == 0 && booked.Count == 1 && !choosing) return NoneThen(turn, understood, Intent.Cancel);
                if (matches is not [var only]) return AskWhich(turn);
                appointment = only;
            }
            catch (McpCalendarException)
            {
                // Without the company's date "el viernes" cannot be matched: ask which one by listing them.
                return AskWhich(turn);
            }
        }
        else if (booked.Count > 1)
        {
            return AskWhich(turn);
        }

        return new Answer(turn.Reply(ReplyTexts.ConfirmCancel(appointment.Start, turn.Words), Intent.Cancel, appointment.Start.Date, appointment.Start.TimeOfDay),
            state.On(new ConfirmingCancellation(appointment.EventId)));
    }

    /// <summary>Which appointment "mi turno" is, for a move: the only one, or the one already chosen; several → ask.</summary>
    /// <returns>The answer, and the appointment to move when it is known.</returns>
    public static async Task<(Answer Answer, RememberedAppointment? Target)> StartMoveAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        var (state, parsed) = (turn.State, turn.Parsed);
        var booked = state.Booked.OrderBy(a => a.Start).ToList();
        if (booked.Count == 0)
            return (new Answer(turn.Reply(ReplyTexts.NoAppointmentToMove(turn.Words), Intent.Reschedule), state.NothingPending()), null);
        var target = state.Topic.EventBeingMoved is { } id ? state.Find(id)
            : booked.Count == 1 ? booked[0]
            // "Can we push it to 4?" right after a booking: "it" is the appointment just booked (or moved).
            : state.Topic is Idle { JustBooked: { } just } && parsed.MentionsDateOrTime && parsed.MovedDate is null ? state.Find(just)
            : null;
        if (parsed.MovedDate is not null)
        {
            // "Cambiar mi turno del viernes al lunes": the one on Friday, whatever was being discussed.
            try
            {
                var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
                turn = turn.Knowing(company);
                // Either reading of "a las 3" matches: it only picks among the customer's own appointments.
                var from = new ParsedMessage(turn.Language, Intent.Reschedule, parsed.MovedDate, parsed.MovedTime, MeridiemAssumed: parsed.MovedTime is not null);
                var understood = MessageUnderstanding.Resolve(from, company.Now, turn.Language);
                var matches = Matching(state, understood);
                // Their only appointment is on another day: never propose moving it as if it were the one named.
                if (matches.Count == 0 && booked.Count == 1) return (NoneThen(turn, understood, Intent.Reschedule), null);
                target = matches is [var only] ? only : null;
            }
            catch (McpCalendarException)
            {
                target = null;
            }
        }
        if (target is null)
        {
            return (new Answer(turn.Reply(ReplyTexts.AskWhichToMove(booked.Select(a => a.Start).ToList(), turn.Words), Intent.Reschedule),
                state.On(new ChoosingAppointment(AppointmentAction.Move))), null);
        }
        return (new Answer(turn.Reply(ReplyTexts.AskNewTime(target.Start, turn.Words), Intent.Reschedule, target.Start.Date, target.Start.TimeOfDay),
            Moving(state, target)), target);
    }

    /// <summary>"You have no appointment on Friday; yours is on Thursday at 15:00": nothing is asked, nothing stays pending.</summary>
    private static Answer NoneThen(DialogueTurn turn, UnderstoodMessage understood, Intent intent)
    {
        var starts = turn.State.Booked.Select(a => a.Start).Order().ToList();
        return new Answer(turn.Reply(ReplyTexts.NoAppointmentThen(understood.Date, starts, turn.Words), intent, understood.Date, understood.Time),
            turn.State.NothingPending());
    }

    /// <summary>
    /// Moving <paramref name="appointment"/>, its day and time the ones discussed: "a las 11" alone keeps its day, "al
    /// lunes" alone keeps its time.
    /// </summary>
    public static ConversationState Moving(ConversationState state, RememberedAppointment appointment) =>
        state.On(new Moving(appointment.EventId), new DiscussedTime(appointment.Start.Date, appointment.Start.TimeOfDay));

    /// <summary>The answer to "¿cuál quieres cambiar?": the appointment on the day (and at the time) the customer named.</summary>
    public static async Task<Answer> ChooseToMoveAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        var (parsed, state) = (turn.Parsed, turn.State);
        var starts = state.Booked.Select(a => a.Start).Order().ToList();
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            turn = turn.Knowing(company);
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, turn.Language);
            if (Matching(state, understood) is [var chosen])
            {
                return new Answer(turn.Reply(ReplyTexts.AskNewTime(chosen.Start, turn.Words), Intent.Reschedule, chosen.Start.Date, chosen.Start.TimeOfDay),
                    Moving(state, chosen));
            }
            return new Answer(turn.Reply(ReplyTexts.AskWhichToMove(starts, turn.Words), Intent.Reschedule), state);
        }
        catch (CalendarUnavailableException ex)
        {
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, turn.Words), Intent.Reschedule), state);
        }
        catch (McpServerUnavailableException)
        {
            return new Answer(turn.Reply(ReplyTexts.CalendarUnreachable(turn.Words), Intent.Reschedule), state);
        }
    }

    /// <summary>
    /// "El primero", "the second one", "el último", "el de las 11": the appointment at that place in the list the
    /// customer was shown (in time order), or at that time.
    /// </summary>
    public static RememberedAppointment? Picked(DialogueTurn turn)
    {
        var listed = turn.State.Booked.OrderBy(a => a.Start).ToList();
        if (turn.Parsed.Date is not null || turn.Parsed.Selection is not { } selection) return null;
        return ListPick.Index(selection, listed.Select(a => a.Start.TimeOfDay).ToList()) is { } index ? listed[index] : null;
    }

    /// <summary>The remembered appointments on the day, at the time and in the part of the day the message names.</summary>
    private static List<RememberedAppointment> Matching(ConversationState state, UnderstoodMessage understood) =>
        state.Booked.Where(a => Names(understood, a.Start)).ToList();

    /// <summary>
    /// Whether <paramref name="start"/> is on the day, at the time and in the part of the day the message names (what it
    /// does not name matches anything; either reading of "a las 3" matches).
    /// </summary>
    public static bool Names(UnderstoodMessage understood, NodaTime.LocalDateTime start) =>
        (understood.Date is not { } d || start.Date == d)
        && (understood.Time is not { } t || start.TimeOfDay == t || (understood.MeridiemAssumed && start.TimeOfDay == t.PlusHours(12)))
        && (understood.Period is not { } p || understood.Time is not null || p.Contains(start.TimeOfDay));
}
