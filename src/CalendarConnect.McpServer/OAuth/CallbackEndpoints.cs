using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.ConnectLinks;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>
/// Spec step 5: Google sends the browser back with <c>code</c> and <c>state</c>; we check the state, exchange the
/// code (with the PKCE verifier), learn the calendar's email and time zone, store the tokens encrypted and send
/// the browser on to OAUTH_SUCCESS_REDIRECT_URL. Every failure is a Spanish page and stores nothing. A consent given with
/// another Google account than the company's expected email connects nothing either: its tokens are dropped (revoked at
/// Google unless that account is connected for another company here), the attempt is recorded for the admin
/// (<see cref="AccountAttempts"/>), and the page names the expected account with a link to try again.
/// </summary>
public static class CallbackEndpoints
{
    public static IEndpointRouteBuilder MapCallback(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/oauth/callback", CallbackAsync);
        return routes;
    }

    private static async Task<IResult> CallbackAsync(HttpRequest request, AuthorizationStates states, GoogleOAuthClient oauth,
        GoogleCalendarClient calendar, TokenStore tokens, ConnectionCache cache, ShareableLinks links, CalendarMirror mirror,
        AccountAttempts attempts, AuthorizationRequests authorizations, IOptions<McpServerSettings> options, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var log = loggers.CreateLogger("CalendarConnect.McpServer.OAuth.Callback");
        var query = request.Query;
        string? state = query["state"], code = query["code"], error = query["error"];
        if (query["state"].Count > 1 || query["code"].Count > 1) return CallbackPages.MissingParameters();
        if (string.IsNullOrEmpty(state)) return CallbackPages.MissingParameters();

        // The state is consumed even when the person cancelled, so a link's state can never be replayed.
        var pending = await states.ConsumeAsync(state, cancellationToken);
        if (pending is null)
        {
            log.LogWarning("OAuth callback with an unknown, used or expired state");
            return CallbackPages.InvalidOrUsedState();
        }

        if (!string.IsNullOrEmpty(error))
        {
            log.LogInformation("Customer {CustomerId} did not authorize: {Error}", pending.CustomerId, error == "access_denied" ? error : "google_error");
            return error == "access_denied" ? CallbackPages.Denied() : CallbackPages.GoogleError();
        }

        if (string.IsNullOrEmpty(code) || code.Length > 2048) return CallbackPages.MissingParameters();

        var (granted, failure) = await oauth.ExchangeCodeAsync(code, pending.CodeVerifier, cancellationToken);
        if (granted is null)
        {
            log.LogWarning("Code exchange failed for customer {CustomerId}: {Error}", pending.CustomerId, failure!.Error);
            var retry = await authorizations.StartAsync(pending.CustomerId, pending.CustomerEmail, pending.LinkHash, cancellationToken);
            return CallbackPages.ExchangeFailed(failure, retry.Url);
        }

        var expiry = time.GetUtcNow().AddSeconds(granted.ExpiresIn);
        string? calendarEmail = null, timeZone = null;
        try
        {
            // Once, now, so that the tools know the company's zone without asking Google (or refreshing) later.
            using var company = GoogleRequests.ForCompany(pending.CustomerId);
            var primary = await calendar.GetCalendarAsync(granted.AccessToken, "primary", cancellationToken);
            calendarEmail = primary.Id;
            timeZone = primary.TimeZone;
        }
        catch (GoogleApiException e)
        {
            // Without an expected email the grant is good: connect anyway; the zone is learned on first use. With one, the
            // account cannot be checked, so nothing connects (below).
            log.LogWarning("Could not read the primary calendar of customer {CustomerId}: {Status} {Reason}", pending.CustomerId, (int)e.Status, e.Reason);
        }

        if (pending.CustomerEmail is { } expected && (calendarEmail is null || !AccountAttempts.IsExpected(calendarEmail, expected)))
        {
            // Only the expected account may connect: nothing of this consent is kept, and the person gets a fresh try.
            await DropGrantAsync(oauth, attempts, granted, calendarEmail, cancellationToken);
            var retry = await authorizations.StartAsync(pending.CustomerId, expected, pending.LinkHash, cancellationToken);
            if (calendarEmail is null)
            {
                log.LogWarning("Customer {CustomerId} consented but the Google account could not be checked: nothing stored", pending.CustomerId);
                return CallbackPages.AccountNotVerified(expected, retry.Url);
            }

            await attempts.RecordAsync(pending.CustomerId, expected, calendarEmail, cancellationToken);
            log.LogWarning("Customer {CustomerId} consented with another Google account than the expected one: nothing stored, the attempt is shown to the admin",
                pending.CustomerId);
            return CallbackPages.WrongAccount(expected, calendarEmail, retry.Url);
        }

        await tokens.SaveGrantAsync(pending.CustomerId, granted.AccessToken, granted.RefreshToken, expiry, calendarEmail, pending.CustomerEmail,
            timeZone, cancellationToken);
        cache.Forget(pending.CustomerId);
        // What was mirrored belongs to the previous grant (maybe another account): start over from this one.
        await mirror.ForgetCompanyAsync(pending.CustomerId, cancellationToken);
        // "Dies once the calendar is connected": no outstanding link can start another connection.
        await links.RevokeAllAsync(pending.CustomerId, cancellationToken);
        // Connected with the expected account: an earlier attempt with another one is settled.
        await attempts.ClearAsync(pending.CustomerId, cancellationToken);
        log.LogInformation("Calendar connected for customer {CustomerId}", pending.CustomerId);
        return TypedResults.Redirect(options.Value.OAuthSuccessRedirectUrl);
    }

    /// <summary>
    /// Lets go of a consent that connects nothing. Revoked at Google so no grant of ours outlives it there, except when the
    /// account is connected for another company here, or unknown (it may be): Google revokes a user's whole grant to our
    /// client, that company's included.
    /// </summary>
    private static async Task DropGrantAsync(GoogleOAuthClient oauth, AccountAttempts attempts, GoogleTokenResponse granted, string? accountEmail,
        CancellationToken cancellationToken)
    {
        if (accountEmail is null || await attempts.IsConnectedForAnyCompanyAsync(accountEmail, cancellationToken)) return;
        // Not retried when Google fails: only the person's browser ever saw this grant, and nothing of it is kept here.
        await oauth.RevokeAsync(granted.RefreshToken ?? granted.AccessToken, cancellationToken);
    }
}
