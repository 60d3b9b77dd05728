using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// What the assistant remembers between two messages of one conversation, so that "¿y a las 4?", "sí" or
/// "¿cuándo es mi turno?" can be understood. Persisted as JSON (System.Text.Json with NodaTime converters, see
/// <see cref="ConversationStateJson"/>), so every member is plain data with a default, and older stored JSON still reads.
/// </summary>
/// <remarks>
/// Two kinds of memory: the <see cref="Topic"/> is what is being discussed or asked right now (one of a closed set,
/// each with only the data it needs) and is replaced by the next one; everything else here outlives any one topic.
/// </remarks>
/// <param name="Language">The language of the conversation so far, for messages that give no clue ("15:00").</param>
public sealed record ConversationState(Language Language)
{
    /// <summary>What is being discussed or asked right now; <see cref="Idle"/> when nothing is.</summary>
    public Topic Topic { get; init; } = Idle.Instance;

    /// <summary>The day, time and part of the day being talked about, for a follow-up that names only what changes.</summary>
    public DiscussedTime Discussed { get; init; } = DiscussedTime.Nothing;

    /// <summary>The name the customer gave; later bookings in this conversation use it without asking.</summary>
    public string? PersonName { get; init; }

    /// <summary>
    /// How many of its appointments a conversation remembers. A conversation lives as long as its WhatsApp number, so
    /// without a bound its stored state would grow with every booking it ever made.
    /// </summary>
    public const int MaxRemembered = 20;

    /// <summary>
    /// What this conversation booked and has not cancelled, oldest booking first: at most <see cref="MaxRemembered"/>,
    /// and none that had started when the last one was booked or moved (see <see cref="Remembering"/>).
    /// </summary>
    public IReadOnlyList<RememberedAppointment>? Appointments { get; init; }

    /// <summary>How many bookings this conversation has made; part of the idempotency key (see <see cref="BookingAssistant"/>).</summary>
    public int BookingsMade { get; init; }

    /// <summary>What only the optional LLM mode needs (recent exchanges); null when it never ran.</summary>
    public CalendarConnect.Assistant.Llm.LlmMemory? Llm { get; init; }

    /// <summary>Computed, not stored: <see cref="Appointments"/> is what is persisted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<RememberedAppointment> Booked => Appointments ?? [];

    /// <summary>
    /// The same person and bookings, on a new topic about <paramref name="discussed"/> (nothing when null): whatever was
    /// being discussed or asked is replaced. Who the customer is and what they booked outlive any one question.
    /// </summary>
    public ConversationState On(Topic topic, DiscussedTime? discussed = null) =>
        this with { Topic = topic, Discussed = discussed ?? DiscussedTime.Nothing };

    /// <summary>Nothing pending and nothing being discussed.</summary>
    public ConversationState NothingPending() => On(Idle.Instance);

    /// <summary>
    /// The same conversation remembering <paramref name="appointments"/> (oldest booking first), trimmed the same way
    /// whoever calls: those that started before <paramref name="now"/> (the company's clock; null when it was not read)
    /// are dropped, then the oldest bookings beyond <see cref="MaxRemembered"/>.
    /// </summary>
    public ConversationState Remembering(IEnumerable<RememberedAppointment> appointments, LocalDateTime? now = null)
    {
        var kept = appointments.Where(a => now is not { } at || a.Start >= at).ToList();
        return this with { Appointments = kept.Count > MaxRemembered ? kept[^MaxRemembered..] : kept };
    }

    /// <summary>The remembered appointment with <paramref name="eventId"/>, or null when it is no longer remembered.</summary>
    public RememberedAppointment? Find(string eventId) => Booked.FirstOrDefault(a => a.EventId == eventId);
}

/// <summary>The day, time and part of the day being talked about, for "¿y el viernes?" (same time) or "¿y a las 4?" (same day).</summary>
/// <param name="TimeAmbiguous">
/// <paramref name="Time"/> was said without am/pm and both readings are possible (the customer may have been asked which).
/// </param>
/// <param name="Range">The span of clock time asked for ("entre las 3 y las 6"), for "¿y el viernes?" after it.</param>
public sealed record DiscussedTime(LocalDate? Date = null, LocalTime? Time = null, PartOfDay? Period = null, bool TimeAmbiguous = false,
    TimeRange? Range = null)
{
    public static readonly DiscussedTime Nothing = new();
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
