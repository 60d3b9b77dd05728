using System.Globalization;
using System.Text;
using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>The list's search, status filter and page: GET /v1/customer-calendars?q=&amp;status=&amp;page=&amp;page_size=.</summary>
public sealed record CustomerCalendarQuery(string? Text, string? Status, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxTextLength = 200;
    /// <summary>Far beyond any real list; keeps (page - 1) * page_size well inside a long.</summary>
    public const int MaxPage = 1_000_000;

    public static readonly string[] Statuses =
        [ConnectionStatus.NotConnected, ConnectionStatus.Connected, ConnectionStatus.NeedsReauthorization, CalendarStatus.Unknown];

    private static readonly string[] Parameters = ["q", "status", "page", "page_size"];

    /// <summary>Reads the four parameters; each may appear once. Other parameters are ignored (cache busters).</summary>
    public static (CustomerCalendarQuery? Query, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var name in Parameters)
            if (query[name].Count > 1) errors[name] = [ApiTexts.QueryRepeated];

        string? text = query["q"].ToString().Trim();
        if (text.Length == 0) text = null;
        else if (text.Length > MaxTextLength) errors.TryAdd("q", [ApiTexts.MaxLength(MaxTextLength)]);
        else if (text.Any(char.IsControl)) errors.TryAdd("q", [ApiTexts.NoControlCharacters]);

        string? status = query["status"].ToString();
        if (status.Length == 0) status = null;
        else if (!Statuses.Contains(status)) errors.TryAdd("status", [ApiTexts.QueryStatus]);

        var page = ReadInt(query, "page", 1, 1, MaxPage, ApiTexts.QueryPage, errors);
        var pageSize = ReadInt(query, "page_size", DefaultPageSize, 1, MaxPageSize, ApiTexts.QueryPageSize(MaxPageSize), errors);
        return errors.Count == 0 ? (new CustomerCalendarQuery(text, status, page, pageSize), errors) : (null, errors);
    }

    private static int ReadInt(IQueryCollection query, string name, int fallback, int min, int max, string message,
        Dictionary<string, string[]> errors)
    {
        var raw = query[name].ToString();
        if (raw.Length == 0) return fallback;
        // Digits only: no sign, spaces, exponent or thousands separators ("1e3", " 2", "+3" are mistakes, not numbers).
        if (raw.Length > 9 || !raw.All(char.IsAsciiDigit) || !int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            errors.TryAdd(name, [message]);
            return fallback;
        }
        return value;
    }

    /// <summary>
    /// What the search looks in, as stored in customer_memory.search_text: the company's id, name and email folded
    /// (<see cref="Fold"/>) and its WhatsApp number, one per line. The search text is folded the same way and matches
    /// when it is part of one line ("clinica" finds "Clínica"; a search cannot hold a line break, so it never spans
    /// two fields); a number typed with spaces or dashes finds the E.164 form through its digits
    /// (<see cref="PhoneDigits"/>), matched against the number alone.
    /// </summary>
    public static string SearchText(string customerId, string customerName, string customerEmail, string? whatsAppNumber) =>
        SearchTextBeforeNumber(customerId, customerName, customerEmail) + whatsAppNumber;

    /// <summary>The <see cref="SearchText"/> up to the WhatsApp number, which an update may keep as stored.</summary>
    public static string SearchTextBeforeNumber(string customerId, string customerName, string customerEmail) =>
        $"{Fold(customerId)}\n{Fold(customerName)}\n{Fold(customerEmail)}\n";

    /// <summary>The digits of a search that looks like a phone number (digits, spaces, +, -, parentheses, dots; at least 3 digits), else null.</summary>
    public static string? PhoneDigits(string text)
    {
        if (!text.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.')) return null;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 3 ? digits : null;
    }

    /// <summary>Lower case without accents (é → e, ñ → n), for comparing what people type with what is stored.</summary>
    public static string Fold(string value)
    {
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// RFC 8288 Link header: first, prev, next and last, as relative URLs that keep q, status and page_size.
    /// </summary>
    public string LinkHeader(string path, int total)
    {
        var last = LastPage(total);
        var links = new List<string> { Link(path, 1, "first") };
        if (Page > 1) links.Add(Link(path, Math.Min(Page - 1, last), "prev"));
        if (Page < last) links.Add(Link(path, Page + 1, "next"));
        links.Add(Link(path, last, "last"));
        return string.Join(", ", links);
    }

    public int LastPage(int total) => Math.Max(1, (int)(((long)total + PageSize - 1) / PageSize));

    private string Link(string path, int page, string rel)
    {
        var query = new StringBuilder();
        if (Text is not null) query.Append("q=").Append(Uri.EscapeDataString(Text)).Append('&');
        if (Status is not null) query.Append("status=").Append(Uri.EscapeDataString(Status)).Append('&');
        query.Append("page=").Append(page.ToString(CultureInfo.InvariantCulture))
            .Append("&page_size=").Append(PageSize.ToString(CultureInfo.InvariantCulture));
        return $"<{path}?{query}>; rel=\"{rel}\"";
    }
}
