namespace CalendarConnect.Shared;

/// <summary>
/// The stable codes a failed calendar tool result carries in its <c>_meta</c> under <see cref="ToolResultMeta.ErrorCode"/>
/// (isError: true): the server sets them, and a client answers its customer from them, in the customer's language,
/// instead of relaying the server's English message.
/// </summary>
public static class CalendarErrorCodes
{
    public const string MissingCustomer = "missing_customer";
    public const string InvalidCustomer = "invalid_customer";
    public const string InvalidArgument = "invalid_argument";
    public const string NotConnected = "not_connected";
    public const string NeedsReauthorization = "needs_reauthorization";
    public const string CalendarUnavailable = "calendar_unavailable";

    // Booking: the requested time cannot be booked (each comes with the nearest alternatives) or the event is not ours.
    public const string SlotTaken = "slot_taken";
    public const string OutsideBusinessHours = "outside_business_hours";
    public const string TooSoon = "too_soon";
    public const string BeyondHorizon = "beyond_horizon";

    /// <summary>A start within the hours that is not one of the slot starts, when the company's settings allow only those.</summary>
    public const string NotOnSlotGrid = "not_on_slot_grid";
    public const string NotFound = "not_found";

    /// <summary>The codes that mean "not this appointment" rather than "the calendar cannot be used".</summary>
    public static readonly IReadOnlySet<string> BookingRefusals =
        new HashSet<string>([SlotTaken, OutsideBusinessHours, TooSoon, BeyondHorizon, NotOnSlotGrid, NotFound], StringComparer.Ordinal);
}
