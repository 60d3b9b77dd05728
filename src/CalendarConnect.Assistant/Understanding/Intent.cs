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
    /// <summary>Says no to what the assistant asked ("no", "mejor no", "nope").</summary>
    Decline,
    /// <summary>Wants to cancel an appointment ("cancelar mi turno", "cancel my appointment").</summary>
    Cancel,
    /// <summary>Asks when their appointment is ("¿cuándo es mi turno?", "when is my appointment?").</summary>
    MyAppointment,
    /// <summary>Wants to move an appointment ("quiero cambiar mi turno al viernes", "can I move my appointment").</summary>
    Reschedule,
    /// <summary>Asks what the assistant can do ("ayuda", "¿qué puedes hacer?", "help").</summary>
    Help,
    /// <summary>Thanks ("gracias", "thank you").</summary>
    Thanks,
}

public static class IntentCodes
{
    /// <summary>snake_case code used on the wire: other, greeting, book, check_availability, confirm, decline, cancel, my_appointment, reschedule, help, thanks.</summary>
    public static string Code(this Intent intent) => intent switch
    {
        Intent.Greeting => "greeting",
        Intent.Book => "book",
        Intent.CheckAvailability => "check_availability",
        Intent.Confirm => "confirm",
        Intent.Decline => "decline",
        Intent.Cancel => "cancel",
        Intent.MyAppointment => "my_appointment",
        Intent.Reschedule => "reschedule",
        Intent.Help => "help",
        Intent.Thanks => "thanks",
        _ => "other",
    };
}
