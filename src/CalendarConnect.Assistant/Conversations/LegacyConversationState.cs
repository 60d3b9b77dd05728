using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// The shape conversations were stored in before topics (flags and ids side by side), kept only to read them: a
/// conversation waiting for a "sí" or a name when the new version was deployed resumes on the same topic.
/// </summary>
internal sealed record LegacyConversationState(
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
    /// <summary>
    /// The same conversation as a topic. The flags were checked in this order when answering, so the first that is set
    /// is the question the customer was last asked.
    /// </summary>
    public ConversationState ToState()
    {
        Topic topic = this switch
        {
            { CancelEventId: { } cancel } => new ConfirmingCancellation(cancel),
            { Proposal: { } proposal, AwaitingName: true } => new AwaitingName(proposal),
            { Proposal: { } proposal } => new Proposing(proposal, MoveEventId),
            { ChoosingAppointmentToMove: true } => new ChoosingAppointment(AppointmentAction.Move),
            { ChoosingAppointmentToCancel: true } => new ChoosingAppointment(AppointmentAction.Cancel),
            { Offered: { } offered } => new OfferingChoices(offered, MoveEventId),
            { MoveEventId: { } move } => new Moving(move),
            _ => Idle.Instance,
        };
        return new ConversationState(Language)
        {
            Topic = topic,
            // A proposal always came with its day as the one discussed; older records may lack it.
            Discussed = new DiscussedTime(PendingDate ?? Proposal?.Date, PendingTime, PendingPeriod, PendingTimeNeedsMeridiem),
            PersonName = PersonName,
            Appointments = Appointments,
            BookingsMade = BookingsMade,
            Llm = Llm,
        };
    }
}
