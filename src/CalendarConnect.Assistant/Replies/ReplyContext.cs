using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Replies;

/// <summary>
/// What a reply's wording depends on besides its content: the conversation's language and, once the company's clock
/// was read for this message, the company's current year. A date in another year is then shown with its year
/// ("martes 20 de enero de 2026"), so a booking a year ahead is never confirmed as if it were this year's.
/// </summary>
/// <param name="CompanyYear">Null until the company's clock is read: dates are then shown without year.</param>
public readonly record struct ReplyContext(Language Language, int? CompanyYear = null)
{
    /// <summary>A reply in <paramref name="language"/> before the company's clock is known.</summary>
    public static implicit operator ReplyContext(Language language) => new(language);

    /// <summary>The same wording once the company's clock is read.</summary>
    public ReplyContext InCompanyYear(int year) => this with { CompanyYear = year };
}
