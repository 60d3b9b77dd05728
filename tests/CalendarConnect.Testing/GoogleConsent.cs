using System.Net;
using System.Text.RegularExpressions;

namespace CalendarConnect.Testing;

/// <summary>
/// Plays the company's person on the (emulated) Google consent page: opens the authorization URL, reads the
/// form's hidden inputs, and posts the decision, exactly as a browser submitting the form would.
/// </summary>
public static partial class GoogleConsent
{
    /// <summary>Returns the redirect Google answers with (redirect_uri?code=…&amp;state=… or ?error=access_denied…).</summary>
    /// <param name="client">A client that does not follow redirects, to reuse (the benchmark consents thousands of times); else one for this call.</param>
    public static async Task<Uri> DecideAsync(string authorizationUrl, string email, bool allow, HttpClient? client = null)
    {
        using var own = client is null ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) : null;
        var http = client ?? own!;
        var page = await http.GetStringAsync(authorizationUrl);
        var form = FormTag().Match(page);
        if (!form.Success) throw new InvalidOperationException("The consent page has no <form method=\"post\">.");
        var action = WebUtility.HtmlDecode(ActionAttribute().Match(form.Value).Groups[1].Value);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (Match input in HiddenInput().Matches(page))
        {
            var name = NameAttribute().Match(input.Value).Groups[1].Value;
            var value = ValueAttribute().Match(input.Value).Groups[1].Value;
            fields.Add(new(WebUtility.HtmlDecode(name), WebUtility.HtmlDecode(value)));
        }

        fields.RemoveAll(f => f.Key is "email" or "decision");
        fields.Add(new("email", email));
        fields.Add(new("decision", allow ? "allow" : "deny"));
        var target = new Uri(new Uri(authorizationUrl), string.IsNullOrEmpty(action) ? new Uri(authorizationUrl).AbsolutePath : action);
        using var response = await http.PostAsync(target, new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
            throw new InvalidOperationException($"Consent for {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex("action=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ActionAttribute();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    [GeneratedRegex("name=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex NameAttribute();

    [GeneratedRegex("value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValueAttribute();
}
