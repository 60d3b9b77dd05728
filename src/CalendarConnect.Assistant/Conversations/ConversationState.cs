using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// What the assistant remembers between two messages of one conversation, so that "¿y a las 4?", "sí" or
/// "¿cuándo es mi turno?" can be understood. Persisted as JSON (System.Text.Json with NodaTime converters), so every
/// member is plain data; new members go at the end with a default, so older stored JSON still reads.
/// </summary>
/// <param name="Language">The language of the conversation so far, for messages that give no clue ("15:00").</param>
/// <param name="PendingDate">The day being discussed, for a follow-up that only names a time.</param>
/// <param name="PendingTime">The time being discussed, for a follow-up that only names a day.</param>
/// <param name="Proposal">The free slot the assistant asked the customer to confirm, for a "sí".</param>
/// <param name="AwaitingName">The customer said yes to <paramref name="Proposal"/> and was asked for a name.</param>
/// <param name="PersonName">The name the customer gave; later bookings in this conversation use it without asking.</param>
/// <param name="Appointments">What this conversation booked and has not cancelled, oldest booking first.</param>
/// <param name="BookingsMade">How many bookings this conversation has made; part of the idempotency key (see <see cref="BookingAssistant"/>).</param>
/// <param name="CancelEventId">The appointment the customer was asked to confirm cancelling.</param>
/// <param name="MoveEventId">
/// The appointment being moved: while it is set, a free time found becomes a proposal to move it there, and a "sí"
/// calls reschedule_appointment instead of book_appointment.
/// </param>
/// <param name="ChoosingAppointmentToMove">The customer has several appointments and was asked which one to move.</param>
/// <param name="PendingTimeNeedsMeridiem">
/// <paramref name="PendingTime"/> was said without am/pm and both readings are possible; the customer was asked which.
/// </param>
/// <param name="Offered">The free times offered instead of a busy one, local to the company, for "sí" or "a las 10".</param>
/// <param name="PendingPeriod">The part of the day being discussed ("por la tarde"), for a follow-up that only names a day.</param>
/// <param name="ChoosingAppointmentToCancel">The customer has several appointments and was asked which one to cancel.</param>
/// <param name="Llm">What only the optional LLM mode needs (recent exchanges, a proposed move); null when it never ran.</param>
public sealed record ConversationState(
    Language Language,
    LocalDate? PendingDate = null,
    LocalTime? PendingTime = null,
    ProposedAppointment? Proposal = null,
    bool AwaitingName = false,
    string? PersonName = null,
    IReadOnlyList<RememberedAppointment>? Appointments = null,
    int BookingsMade = 0,
    string? CancelEventId = null,
    string? MoveEventId = null,
    bool ChoosingAppointmentToMove = false,
    bool PendingTimeNeedsMeridiem = false,
    IReadOnlyList<LocalDateTime>? Offered = null,
    PartOfDay? PendingPeriod = null,
    bool ChoosingAppointmentToCancel = false,
    CalendarConnect.Assistant.Llm.LlmMemory? Llm = null)
{
    /// <summary>Computed, not stored: <see cref="Appointments"/> is what is persisted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<RememberedAppointment> Booked => Appointments ?? [];

    /// <summary>
    /// The same person and bookings, with a new topic: whatever was being discussed or asked is replaced. Who the
    /// customer is and what they booked outlive any one question.
    /// </summary>
    public ConversationState Discussing(LocalDate? date = null, LocalTime? time = null, ProposedAppointment? proposal = null) =>
        this with
        {
            PendingDate = date, PendingTime = time, Proposal = proposal, AwaitingName = false, CancelEventId = null,
            MoveEventId = null, ChoosingAppointmentToMove = false, PendingTimeNeedsMeridiem = false, Offered = null, PendingPeriod = null,
            ChoosingAppointmentToCancel = false,
        };
}

/// <summary>A free slot offered for confirmation.</summary>
/// <param name="Start">The start in the company's zone (its offset), exactly what will be sent to <c>book_appointment</c>.</param>
/// <param name="DurationMinutes">The slot's length as the server gave it.</param>
public sealed record ProposedAppointment(OffsetDateTime Start, int DurationMinutes)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public LocalDate Date => Start.Date;

    [System.Text.Json.Serialization.JsonIgnore]
    public LocalTime TimeOfDay => Start.TimeOfDay;
}

/// <summary>An appointment this conversation booked.</summary>
/// <param name="Start">Local start in the company's zone, as the server confirmed it.</param>
public sealed record RememberedAppointment(string EventId, LocalDateTime Start);
