using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.AssistantEvaluation.Corpus;

/// <summary>What a case's message must lead to: one word of the corpus's vocabulary (see the corpus file's header).</summary>
public enum Outcome
{
    /// <summary><c>propose D T</c>: that date and time is offered as free (available = true), nothing written yet.</summary>
    Propose,
    /// <summary><c>propose-move D T</c>: moving the appointment to that free date and time is proposed.</summary>
    ProposeMove,
    /// <summary><c>busy D T</c>: that date and time is said not to be available (available = false); the reply offers the nearest free times.</summary>
    Busy,
    /// <summary><c>list D[..D2] [within HH:mm-HH:mm]</c>: free times are offered, every one inside the days (and hours); nothing proposed.</summary>
    List,
    /// <summary><c>ask</c>: a question back, nothing proposed or written.</summary>
    Ask,
    /// <summary><c>name</c>: the yes was heard and the name for the booking is asked.</summary>
    Name,
    /// <summary><c>booked D T</c>: one new event at that date and time in the company's calendar.</summary>
    Booked,
    /// <summary><c>moved D T</c>: the appointment booked in this conversation now starts at that date and time.</summary>
    Moved,
    /// <summary><c>confirm-cancel D T</c>: the assistant asks to confirm cancelling the appointment at that date and time.</summary>
    ConfirmCancel,
    /// <summary><c>cancelled</c>: the appointment booked in this conversation is gone from the calendar.</summary>
    Cancelled,
    /// <summary><c>my-appointment D T</c> or <c>my-appointment none</c>: says when the person's appointment is, or that there is none.</summary>
    MyAppointment,
    Greeting,
    Help,
    Thanks,
    /// <summary><c>declined</c>: the no was heard; nothing written.</summary>
    Declined,
    /// <summary><c>not-understood</c>: the assistant says it did not understand; nothing proposed or written.</summary>
    NotUnderstood,
}

/// <param name="LastDate">The last day of a <see cref="Outcome.List"/> over several days; <see cref="Date"/> for one day.</param>
/// <param name="From">With <see cref="To"/>: the hours every listed start must fall in (from inclusive, to exclusive).</param>
/// <param name="AskAllowed">"… or ask": a question back that proposes nothing is an acceptable clarification here.</param>
public sealed record Expectation(Outcome Outcome, LocalDate? Date = null, LocalTime? Time = null, LocalDate? LastDate = null,
    LocalTime? From = null, LocalTime? To = null, bool AskAllowed = false)
{
    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;
    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private static readonly IReadOnlyDictionary<string, Outcome> Words = new Dictionary<string, Outcome>
    {
        ["propose"] = Outcome.Propose, ["propose-move"] = Outcome.ProposeMove, ["busy"] = Outcome.Busy, ["list"] = Outcome.List,
        ["ask"] = Outcome.Ask, ["name"] = Outcome.Name, ["booked"] = Outcome.Booked, ["moved"] = Outcome.Moved,
        ["confirm-cancel"] = Outcome.ConfirmCancel, ["cancelled"] = Outcome.Cancelled, ["my-appointment"] = Outcome.MyAppointment,
        ["greeting"] = Outcome.Greeting, ["help"] = Outcome.Help, ["thanks"] = Outcome.Thanks, ["declined"] = Outcome.Declined,
        ["not-understood"] = Outcome.NotUnderstood,
    };

    /// <summary>The outcomes written with a date and a time ("propose 2025-01-16 15:00").</summary>
    private static readonly HashSet<Outcome> AtDateAndTime = [Outcome.Propose, Outcome.ProposeMove, Outcome.Busy, Outcome.Booked, Outcome.Moved, Outcome.ConfirmCancel];

    /// <summary>Whether the outcome proposes or writes a date and time (what "wrong date/time" is counted on).</summary>
    public bool NamesASlot => AtDateAndTime.Contains(Outcome) || (Outcome == Outcome.MyAppointment && Date is not null);

    /// <summary>Reads "propose 2025-01-16 15:00", "list 2025-01-20..2025-01-24 within 09:00-12:00 or ask", "greeting", ….</summary>
    /// <exception cref="FormatException">The text is not in the vocabulary; the message says what was expected.</exception>
    public static Expectation Parse(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var askAllowed = words.Count >= 2 && words[^2] == "or" && words[^1] == "ask";
        if (askAllowed) words.RemoveRange(words.Count - 2, 2);
        if (words.Count == 0 || !Words.TryGetValue(words[0], out var outcome))
            throw new FormatException($"'{text}' does not start with an outcome ({string.Join(", ", Words.Keys)}).");
        if (askAllowed && outcome == Outcome.Ask) throw new FormatException($"'{text}': \"ask or ask\" says nothing.");
        var rest = words.Skip(1).ToList();

        if (AtDateAndTime.Contains(outcome))
        {
            if (rest.Count != 2) throw new FormatException($"'{text}': {words[0]} takes a date and a time (yyyy-MM-dd HH:mm).");
            return new Expectation(outcome, ParseDate(rest[0], text), ParseTime(rest[1], text), AskAllowed: askAllowed);
        }
        if (outcome == Outcome.MyAppointment)
        {
            if (rest is ["none"]) return new Expectation(outcome, AskAllowed: askAllowed);
            if (rest.Count != 2) throw new FormatException($"'{text}': my-appointment takes a date and a time, or none.");
            return new Expectation(outcome, ParseDate(rest[0], text), ParseTime(rest[1], text), AskAllowed: askAllowed);
        }
        if (outcome == Outcome.List)
        {
            if (rest.Count is not (1 or 3) || (rest.Count == 3 && rest[1] != "within"))
                throw new FormatException($"'{text}': list takes a day or first..last, then optionally within HH:mm-HH:mm.");
            var days = rest[0].Split("..");
            var first = ParseDate(days[0], text);
            var last = days.Length == 2 ? ParseDate(days[1], text) : first;
            if (days.Length > 2 || last < first) throw new FormatException($"'{text}': the days must read first..last.");
            LocalTime? from = null, to = null;
            if (rest.Count == 3)
            {
                var hours = rest[2].Split('-');
                if (hours.Length != 2) throw new FormatException($"'{text}': within takes HH:mm-HH:mm.");
                (from, to) = (ParseTime(hours[0], text), ParseTime(hours[1], text));
                if (to <= from) throw new FormatException($"'{text}': within's hours must go forward.");
            }
            return new Expectation(outcome, first, null, last, from, to, askAllowed);
        }
        if (rest.Count != 0) throw new FormatException($"'{text}': {words[0]} takes nothing after it.");
        return new Expectation(outcome, AskAllowed: askAllowed);
    }

    /// <summary>The expectation as the corpus writes it.</summary>
    public override string ToString()
    {
        var word = Words.First(w => w.Value == Outcome).Key;
        var text = Outcome switch
        {
            Outcome.List => $"{word} {Iso(Date!.Value)}{(LastDate != Date ? ".." + Iso(LastDate!.Value) : "")}"
                + (From is { } f ? $" within {Hhmm(f)}-{Hhmm(To!.Value)}" : ""),
            Outcome.MyAppointment when Date is null => $"{word} none",
            _ when Date is { } d => $"{word} {Iso(d)} {Hhmm(Time!.Value)}",
            _ => word,
        };
        return AskAllowed ? text + " or ask" : text;
    }

    public static string Iso(LocalDate date) => IsoDate.Format(date);
    public static string Hhmm(LocalTime time) => HourMinute.Format(time);

    private static LocalDate ParseDate(string text, string whole) =>
        IsoDate.Parse(text) is { Success: true } result ? result.Value : throw new FormatException($"'{whole}': '{text}' is not a date (yyyy-MM-dd).");

    private static LocalTime ParseTime(string text, string whole) =>
        HourMinute.Parse(text) is { Success: true } result ? result.Value : throw new FormatException($"'{whole}': '{text}' is not a time (HH:mm).");
}
