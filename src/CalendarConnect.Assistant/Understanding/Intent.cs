namespace CalendarConnect.Assistant.Understanding;

/// <summary>What the customer wants from this message.</summary>
public enum Intent
{
    /// <summary>Nothing recognisable (or a question the assistant cannot answer yet).</summary>
    Other,
    Greeting,
    /// <summary>Wants to book ("reservar", "book", "turno", "appointment").</summary>
    Book,
    /// <summary>Asks whether a day or time is free, or just names one without saying "book".</summary>
    CheckAvailability,
    /// <summary>Says yes to the slot the assistant proposed ("sí", "confirmo", "yes").</summary>
    Confirm,
}

public static class IntentCodes
{
    /// <summary>snake_case code used on the wire: other, greeting, book, check_availability, confirm.</summary>
    public static string Code(this Intent intent) => intent switch
    {
        Intent.Greeting => "greeting",
        Intent.Book => "book",
        Intent.CheckAvailability => "check_availability",
        Intent.Confirm => "confirm",
        _ => "other",
    };
}
