using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>What one message says, independent of the company's clock.</summary>
/// <param name="Language">Null when the message gives no clue (e.g. "15:00"): keep the conversation's language.</param>
/// <param name="Date">The date the customer named, if any, still unresolved.</param>
/// <param name="Time">The local time the customer named, if any.</param>
/// <param name="Period">A part of the day ("por la tarde", "in the morning"), with or without a time.</param>
/// <param name="MeridiemAssumed">
/// <paramref name="Time"/> was said without am/pm or a part of the day ("a las 3"): it is the likely reading, and the
/// other one (12 hours apart) is possible too.
/// </param>
/// <param name="Soonest">"Lo antes posible", "next available": the next free times from now, whatever the day.</param>
/// <param name="MovedDate">In a move, the day of the appointment being moved ("del jueves" in "cambiar mi turno del jueves al viernes").</param>
/// <param name="MovedTime">In a move, the time of the appointment being moved, when said ("del jueves a las 3").</param>
/// <param name="Range">A span of time instead of one time ("entre las 3 y las 6"); <paramref name="Time"/> is then null.</param>
/// <param name="Span">Several days instead of one ("next week"); <paramref name="Date"/> is then null.</param>
/// <param name="RuledOutDate">A day the customer ruled out in this message ("el lunes no me sirve, ¿el martes?"): never proposed.</param>
/// <param name="RuledOutTime">A time the customer ruled out ("not at 3, at 4?").</param>
/// <param name="Selection">A pick from the list just shown ("the second one", "la de las 11").</param>
/// <param name="Alternatives">
/// Two slots offered as alternatives ("thursday at 10 or friday at 2"); <paramref name="Date"/> and <paramref name="Time"/>
/// are then null, so neither is taken for the customer: they are asked which.
/// </param>
/// <param name="Farewell">
/// The customer takes leave ("ok gracias, chau", "okay thank you, bye"); <paramref name="Intent"/> is then
/// <see cref="Intent.Thanks"/>. Said to a proposal it closes the conversation politely: nothing is booked.
/// </param>
/// <param name="ConfirmsCancellation">
/// An explicit yes with a cancel word and nothing else ("sí cancelalo", "yes cancel"): <paramref name="Intent"/> is
/// <see cref="Intent.Cancel"/> (anywhere else it asks to cancel, and it must never book what was proposed), and in answer
/// to "do you want me to cancel…?" it is the yes.
/// </param>
/// <param name="Shift">
/// A time relative to the one being talked about ("una hora más tarde", "push it back 30 minutes"): the proposal, or the
/// appointment just booked or being moved, shifted by it.
/// </param>
/// <param name="AsksOpeningHours">
/// A question about the company's opening days or hours ("¿abren los domingos?", "what time do you close on friday"):
/// <paramref name="Intent"/> is <see cref="Intent.Help"/>, and no day named in it is read (it asks for no free time).
/// </param>
/// <param name="FirstThing">"A primera hora", "first thing": the day's first free time (in the part of the day named) is proposed.</param>
public sealed record ParsedMessage(Language? Language, Intent Intent, DateExpression? Date, LocalTime? Time,
    PartOfDay? Period = null, bool MeridiemAssumed = false, bool Soonest = false, DateExpression? MovedDate = null, LocalTime? MovedTime = null,
    TimeRange? Range = null, DateSpan? Span = null, DateExpression? RuledOutDate = null, LocalTime? RuledOutTime = null,
    ListSelection? Selection = null, bool ConfirmsCancellation = false, bool Farewell = false, IReadOnlyList<Alternative>? Alternatives = null,
    TimeShift? Shift = null, bool AsksOpeningHours = false, bool FirstThing = false)
{
    public bool MentionsDateOrTime => Date is not null || Time is not null || Period is not null || Soonest || Range is not null || Span is not null
        || Alternatives is not null;

    /// <summary>The other reading of an assumed time: 15:00 for 03:00 and the other way round.</summary>
    public LocalTime? OtherReading => MeridiemAssumed && Time is { } time ? time.PlusHours(12) : null;
}
