using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// What the assistant remembers between two messages of one conversation, so that "¿y a las 4?" or "sí" can be
/// understood. Deliberately small in this version; a later issue persists it.
/// </summary>
/// <param name="Language">The language of the conversation so far, for messages that give no clue ("15:00").</param>
/// <param name="PendingDate">The day being discussed, for a follow-up that only names a time.</param>
/// <param name="PendingTime">The time being discussed, for a follow-up that only names a day.</param>
/// <param name="ProposedSlot">The free slot the assistant offered to confirm, for a "sí".</param>
public sealed record ConversationState(
    Language Language,
    LocalDate? PendingDate = null,
    LocalTime? PendingTime = null,
    LocalDateTime? ProposedSlot = null);
