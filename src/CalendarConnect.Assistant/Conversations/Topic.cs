using System.Text.Json.Serialization;
using NodaTime;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// What a conversation is about right now: a closed set, each with only the data it needs, and each answered by its
/// own handler (see the Dialogue folder). Stored as JSON with a "kind" member naming the topic.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Idle), "idle")]
[JsonDerivedType(typeof(Proposing), "proposing")]
[JsonDerivedType(typeof(AwaitingName), "awaiting_name")]
[JsonDerivedType(typeof(OfferingChoices), "offering_choices")]
[JsonDerivedType(typeof(ChoosingAppointment), "choosing_appointment")]
[JsonDerivedType(typeof(Moving), "moving")]
[JsonDerivedType(typeof(ConfirmingCancellation), "confirming_cancellation")]
public abstract record Topic
{
    /// <summary>The appointment a move is under way for, whatever is being asked about it; null when nothing is being moved.</summary>
    [JsonIgnore]
    public virtual string? EventBeingMoved => null;
}

/// <summary>Nothing pending: the next message starts whatever it asks for.</summary>
/// <param name="JustBooked">
/// The appointment the previous reply booked or moved, which "it" means in a follow-up ("can we push it to 4?"); null
/// when the previous reply did neither.
/// </param>
public sealed record Idle(string? JustBooked = null) : Topic
{
    public static readonly Idle Instance = new();
}

/// <summary>A free slot was proposed and a yes is awaited: a booking, or moving <paramref name="MoveEventId"/> there when set.</summary>
/// <param name="PickedFrom">
/// The offered times the proposal was picked from ("the later one"), so "no, the other one" can pick again; null when
/// it was asked for directly.
/// </param>
public sealed record Proposing(ProposedAppointment Proposal, string? MoveEventId = null, IReadOnlyList<LocalDateTime>? PickedFrom = null) : Topic
{
    public override string? EventBeingMoved => MoveEventId;
}

/// <summary>The customer said yes to <paramref name="Proposal"/> and was asked for the name to book it under.</summary>
/// <param name="NameOrDay">
/// A lone weekday word that is also a name ("Domingo") was the answer, and the customer was asked whether it is the name:
/// a yes books under it. Null otherwise.
/// </param>
public sealed record AwaitingName(ProposedAppointment Proposal, string? NameOrDay = null) : Topic;

/// <summary>
/// Free times were offered to pick from (instead of a busy one, the next ones, a period's): "sí", "la primera" or
/// "a las 10" pick one. Empty when the calendar had none to offer. <paramref name="MoveEventId"/>: they are offered to
/// move that appointment.
/// </summary>
public sealed record OfferingChoices(IReadOnlyList<LocalDateTime> Offered, string? MoveEventId = null) : Topic
{
    public override string? EventBeingMoved => MoveEventId;
}

/// <summary>The customer has several appointments and was asked which one to move or cancel.</summary>
public sealed record ChoosingAppointment(AppointmentAction Action) : Topic;

/// <summary>What will be done to the appointment being chosen.</summary>
public enum AppointmentAction
{
    Move,
    Cancel,
}

/// <summary>An appointment is being moved and its new time is still missing: a free time found becomes a proposal to move it.</summary>
public sealed record Moving(string EventId) : Topic
{
    public override string? EventBeingMoved => EventId;
}

/// <summary>The customer was asked to confirm cancelling <paramref name="EventId"/>.</summary>
public sealed record ConfirmingCancellation(string EventId) : Topic;
