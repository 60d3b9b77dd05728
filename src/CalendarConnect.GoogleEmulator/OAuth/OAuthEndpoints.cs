using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Control;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>accounts.google.com's authorization endpoint and oauth2.googleapis.com's token and revoke endpoints.</summary>
public static class OAuthEndpoints
{
    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(ConsentPage.Path, ShowConsentPage);
        routes.MapPost(ConsentPage.Path, DecideConsent).DisableAntiforgery();
        routes.MapPost("/token", ExchangeToken).DisableAntiforgery();
        routes.MapPost("/revoke", RevokeToken).DisableAntiforgery();
        return routes;
    }

    private static IResult ShowConsentPage(HttpRequest request, RegisteredClient client, AccountStore accounts)
    {
        var authorization = AuthorizationRequest.Parse(name => request.Query[name].FirstOrDefault(), client, out var error);
        if (authorization is null) return error!;
        // No browser session exists here, so a silent (prompt=none) request can never succeed.
        if (authorization.Prompt == "none") return RedirectWith(authorization, ("error", "interaction_required"));
        return new ConsentPage(authorization, KnownAccounts(accounts));
    }

    private static async Task<IResult> DecideConsent(HttpContext context, RegisteredClient client, AccountStore accounts, GrantStore grants)
    {
        var form = await ReadFormOrNullAsync(context.Request);
        if (form is null) return new AuthorizationErrorPage(400, "invalid_request", "The consent form must be posted as application/x-www-form-urlencoded.");
        var authorization = AuthorizationRequest.Parse(name => form[name].FirstOrDefault(), client, out var error);
        if (authorization is null) return error!;

        switch (form["decision"].FirstOrDefault())
        {
            case "deny":
                return RedirectWith(authorization, ("error", "access_denied"));
            case "allow":
                var entered = form["email"].FirstOrDefault()?.Trim() ?? "";
                var account = accounts.CanonicalEmail(entered);
                if (account is null)
                    return new ConsentPage(authorization, KnownAccounts(accounts),
                        $"No se ha podido encontrar tu cuenta de Google: {entered}", entered);
                RequestLog.SetAccount(context, account);
                var code = grants.IssueCode(authorization, account);
                return RedirectWith(authorization, ("code", code), ("scope", authorization.Scope));
            default:
                return new AuthorizationErrorPage(400, "invalid_request", "Missing or invalid decision.");
        }
    }

    private static async Task<IResult> ExchangeToken(HttpContext context, RegisteredClient client, GrantStore grants)
    {
        var form = await ReadFormOrNullAsync(context.Request);
        if (form is null) return OAuthError.InvalidRequest("Bad Request");

        var (clientId, clientSecret) = ClientCredentials(context.Request, form);
        if (string.IsNullOrEmpty(clientId)) return OAuthError.InvalidRequest("Could not determine client ID from request.");
        if (clientId != client.ClientId) return OAuthError.ClientNotFound;
        if (clientSecret != client.ClientSecret) return OAuthError.BadClientSecret;

        var grantType = form["grant_type"].FirstOrDefault();
        IssuedTokens? tokens;
        OAuthError? error;
        switch (grantType)
        {
            case "authorization_code":
                tokens = grants.RedeemCode(form["code"].FirstOrDefault(), clientId, form["redirect_uri"].FirstOrDefault(),
                    form["code_verifier"].FirstOrDefault(), out error);
                break;
            case "refresh_token":
                tokens = grants.RefreshAccessToken(form["refresh_token"].FirstOrDefault(), clientId, out error);
                break;
            default:
                return new OAuthError(400, "unsupported_grant_type", $"Invalid grant_type: {grantType}");
        }
        if (tokens is null) return error!;

        RequestLog.SetAccount(context, tokens.Account);
        var body = new JsonObject { ["access_token"] = tokens.AccessToken, ["expires_in"] = tokens.ExpiresIn };
        if (tokens.RefreshToken is not null) body["refresh_token"] = tokens.RefreshToken;
        body["scope"] = tokens.Scope;
        body["token_type"] = "Bearer";
        return new OAuthJson(body);
    }

    private static async Task<IResult> RevokeToken(HttpContext context, GrantStore grants)
    {
        var form = context.Request.HasFormContentType ? await ReadFormOrNullAsync(context.Request) : null;
        var token = form?["token"].FirstOrDefault() ?? context.Request.Query["token"].FirstOrDefault();
        if (string.IsNullOrEmpty(token)) return OAuthError.InvalidRequest("Bad Request");
        var account = grants.Revoke(token);
        if (account is null) return OAuthError.InvalidToken;
        RequestLog.SetAccount(context, account);
        return new OAuthJson([]);
    }

    /// <summary>Client authentication by HTTP Basic (client_secret_basic) or in the body (client_secret_post).</summary>
    private static (string? ClientId, string? ClientSecret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } encoded)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                var colon = decoded.IndexOf(':');
                if (colon > 0)
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
            }
            catch (FormatException)
            {
                // Not Base64: fall through to the body, where Google would find no credentials either.
            }
        }
        return (form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault());
    }

    private static async Task<IFormCollection?> ReadFormOrNullAsync(HttpRequest request)
    {
        if (!request.HasFormContentType) return null;
        try
        {
            return await request.ReadFormAsync();
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static IResult RedirectWith(AuthorizationRequest authorization, params (string Name, string Value)[] parameters)
    {
        var target = authorization.RedirectUri;
        if (authorization.State is not null) target = QueryHelpers.AddQueryString(target, "state", authorization.State);
        foreach (var (name, value) in parameters) target = QueryHelpers.AddQueryString(target, name, value);
        return TypedResults.Redirect(target);
    }

    private static List<string> KnownAccounts(AccountStore accounts) => accounts.List().Select(a => a.Email).ToList();
}
