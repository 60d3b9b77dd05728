namespace CalendarConnect.Assistant.Understanding;

/// <summary>The languages the assistant answers in.</summary>
public enum Language
{
    Spanish,
    English,
}

public static class LanguageCodes
{
    /// <summary>ISO 639-1 code: "es" or "en".</summary>
    public static string Code(this Language language) => language == Language.English ? "en" : "es";

    public static Language? FromCode(string? code) => code switch
    {
        "es" => Language.Spanish,
        "en" => Language.English,
        _ => null,
    };
}
