using System.Security.Cryptography;
using CalendarConnect.GoogleEmulator.Persistence;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>What a valid access token stands for.</summary>
public sealed record TokenHolder(string Account, string ClientId, IReadOnlyList<string> Scopes);

/// <summary>Tokens handed out by the token endpoint.</summary>
public sealed record IssuedTokens(string AccessToken, int ExpiresIn, string? RefreshToken, string Scope, string Account);

/// <summary>
/// Authorization codes, grants and their tokens. A grant is one consent by one account to the client;
/// revoking any of its tokens kills the whole grant, as Google does.
/// </summary>
public sealed class GrantStore(TimeProvider clock)
{
    public static readonly Duration CodeLifetime = Duration.FromMinutes(10);
    public const int AccessTokenSeconds = 3599;

    /// <summary>Google keeps at most 100 refresh tokens per account and client; the oldest silently dies.</summary>
    public const int RefreshTokensPerAccountAndClient = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AuthorizationCode> _codes = new(StringComparer.Ordinal);
    private readonly List<Grant> _grants = [];
    private readonly Dictionary<string, Grant> _grantsByRefreshToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessToken> _accessTokens = new(StringComparer.Ordinal);

    /// <summary>Raised outside the lock after grants or tokens changed (not for codes, which are never saved).</summary>
    public event Action? Changed;

    public string IssueCode(AuthorizationRequest request, string account)
    {
        var code = "4/0" + RandomToken(54);
        lock (_gate)
            _codes[code] = new AuthorizationCode(request, account, clock.ToInstant() + CodeLifetime);
        return code;
    }

    /// <summary>grant_type=authorization_code, after the client has been authenticated.</summary>
    public IssuedTokens? RedeemCode(string? code, string clientId, string? redirectUri, string? codeVerifier, out OAuthError? error) =>
        Notify(Redeem(code, clientId, redirectUri, codeVerifier, out error));

    private IssuedTokens? Redeem(string? code, string clientId, string? redirectUri, string? codeVerifier, out OAuthError? error)
    {
        error = null;
        if (string.IsNullOrEmpty(code)) return Fail(out error, OAuthError.InvalidRequest("Missing required parameter: code"));
        lock (_gate)
        {
            if (!_codes.TryGetValue(code, out var issued)) return Fail(out error, OAuthError.InvalidGrant("Malformed auth code."));
            if (issued.Redeemed) return Fail(out error, OAuthError.InvalidGrant("Code was already redeemed."));
            if (clock.ToInstant() >= issued.ExpiresAt) return Fail(out error, OAuthError.ExpiredOrRevoked);
            var request = issued.Request;
            if (request.ClientId != clientId) return Fail(out error, OAuthError.InvalidGrant("Unauthorized"));
            if (redirectUri != request.RedirectUri) return Fail(out error, OAuthError.RedirectUriMismatch);
            if (request.CodeChallenge is { } challenge)
            {
                if (string.IsNullOrEmpty(codeVerifier)) return Fail(out error, OAuthError.InvalidGrant("Missing code verifier."));
                if (!Pkce.Verifies(codeVerifier, challenge, request.CodeChallengeMethod ?? "plain"))
                    return Fail(out error, OAuthError.InvalidGrant("Invalid code verifier."));
            }
            issued.Redeemed = true;

            // Google hands out a refresh token on the first offline consent, and again only when consent is forced.
            var needsRefreshToken = request.WantsOfflineAccess
                && (request.ForcesConsent || !_grants.Any(g => g.IsLive && g.RefreshToken is not null && g.Account == issued.Account && g.ClientId == clientId));
            var grant = new Grant(issued.Account, clientId, request.Scopes, needsRefreshToken ? "1//0" + RandomToken(72) : null);
            _grants.Add(grant);
            if (grant.RefreshToken is not null)
            {
                _grantsByRefreshToken[grant.RefreshToken] = grant;
                EvictOldestRefreshTokens(grant.Account, clientId);
            }
            var access = NewAccessToken(grant);
            return new IssuedTokens(access, AccessTokenSeconds, grant.RefreshToken, string.Join(' ', grant.Scopes), grant.Account);
        }
    }

    /// <summary>grant_type=refresh_token, after the client has been authenticated. Never returns a new refresh token.</summary>
    public IssuedTokens? RefreshAccessToken(string? refreshToken, string clientId, out OAuthError? error) =>
        Notify(Refresh(refreshToken, clientId, out error));

    private IssuedTokens? Refresh(string? refreshToken, string clientId, out OAuthError? error)
    {
        error = null;
        if (string.IsNullOrEmpty(refreshToken)) return Fail(out error, OAuthError.InvalidRequest("Missing required parameter: refresh_token"));
        lock (_gate)
        {
            if (!_grantsByRefreshToken.TryGetValue(refreshToken, out var grant) || !grant.IsLive)
                return Fail(out error, OAuthError.ExpiredOrRevoked);
            if (grant.ClientId != clientId) return Fail(out error, OAuthError.InvalidGrant("Unauthorized"));
            var access = NewAccessToken(grant);
            return new IssuedTokens(access, AccessTokenSeconds, null, string.Join(' ', grant.Scopes), grant.Account);
        }
    }

    /// <summary>/revoke with an access or refresh token: the whole grant dies. Null when the token is unknown or dead.</summary>
    public string? Revoke(string token) => Notify(RevokeGrant(token));

    private string? RevokeGrant(string token)
    {
        lock (_gate)
        {
            Grant? grant = null;
            if (_grantsByRefreshToken.TryGetValue(token, out var byRefresh)) grant = byRefresh;
            else if (_accessTokens.TryGetValue(token, out var access) && clock.ToInstant() < access.ExpiresAt) grant = access.Grant;
            if (grant is null || !grant.IsLive) return null;
            grant.Revoked = true;
            return grant.Account;
        }
    }

    /// <summary>The user removes the app's access in their Google account: every grant of theirs dies.</summary>
    public int RevokeAccount(string account)
    {
        List<Grant> live;
        lock (_gate)
        {
            live = _grants.Where(g => g.IsLive && string.Equals(g.Account, account, StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var grant in live) grant.Revoked = true;
        }
        if (live.Count > 0) Changed?.Invoke();
        return live.Count;
    }

    public int ExpireAllAccessTokens()
    {
        var expired = 0;
        lock (_gate)
        {
            var now = clock.ToInstant();
            foreach (var token in _accessTokens.Values.Where(t => t.ExpiresAt > now))
            {
                token.ExpiresAt = now;
                expired++;
            }
        }
        if (expired > 0) Changed?.Invoke();
        return expired;
    }

    /// <summary>The holder of a live access token, or null for unknown, expired or revoked ones.</summary>
    public TokenHolder? Authenticate(string accessToken)
    {
        lock (_gate)
        {
            if (!_accessTokens.TryGetValue(accessToken, out var token)) return null;
            if (clock.ToInstant() >= token.ExpiresAt || !token.Grant.IsLive) return null;
            return new TokenHolder(token.Grant.Account, token.Grant.ClientId, token.Grant.Scopes);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _codes.Clear();
            _grants.Clear();
            _grantsByRefreshToken.Clear();
            _accessTokens.Clear();
        }
        Changed?.Invoke();
    }

    /// <summary>Every grant, oldest first, with its access tokens that have not expired yet.</summary>
    public IReadOnlyList<GrantState> ExportState()
    {
        lock (_gate)
        {
            var now = clock.ToInstant();
            var live = _accessTokens.Where(t => t.Value.ExpiresAt > now).ToLookup(t => t.Value.Grant);
            return _grants.Select(g => new GrantState(g.Account, g.ClientId, g.Scopes.ToList(), g.RefreshToken, g.Revoked,
                live[g].Select(t => new AccessTokenState(t.Key, t.Value.ExpiresAt.ToDateTimeOffset())).ToList())).ToList();
        }
    }

    /// <summary>Replaces every grant and token with <paramref name="state"/>; pending codes are dropped.</summary>
    public void RestoreState(IReadOnlyList<GrantState> state)
    {
        lock (_gate)
        {
            _codes.Clear();
            _grants.Clear();
            _grantsByRefreshToken.Clear();
            _accessTokens.Clear();
            foreach (var saved in state)
            {
                var grant = new Grant(saved.Account, saved.ClientId, saved.Scopes.ToList(), saved.RefreshToken) { Revoked = saved.Revoked };
                _grants.Add(grant);
                if (grant.RefreshToken is not null) _grantsByRefreshToken[grant.RefreshToken] = grant;
                foreach (var token in saved.AccessTokens)
                    _accessTokens[token.Token] = new AccessToken(grant, Instant.FromDateTimeOffset(token.ExpiresAt));
            }
        }
    }

    private string NewAccessToken(Grant grant)
    {
        var token = "ya29." + RandomToken(120);
        _accessTokens[token] = new AccessToken(grant, clock.ToInstant() + Duration.FromSeconds(AccessTokenSeconds));
        return token;
    }

    private void EvictOldestRefreshTokens(string account, string clientId)
    {
        var live = _grants.Where(g => g.IsLive && g.RefreshToken is not null && g.Account == account && g.ClientId == clientId).ToList();
        foreach (var oldest in live.Take(Math.Max(0, live.Count - RefreshTokensPerAccountAndClient))) oldest.Revoked = true;
    }

    private T? Notify<T>(T? result) where T : class
    {
        if (result is not null) Changed?.Invoke();
        return result;
    }

    private static IssuedTokens? Fail(out OAuthError? error, OAuthError value)
    {
        error = value;
        return null;
    }

    private static string RandomToken(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    private sealed class AuthorizationCode(AuthorizationRequest request, string account, Instant expiresAt)
    {
        public AuthorizationRequest Request { get; } = request;
        public string Account { get; } = account;
        public Instant ExpiresAt { get; } = expiresAt;
        public bool Redeemed { get; set; }
    }

    private sealed class Grant(string account, string clientId, IReadOnlyList<string> scopes, string? refreshToken)
    {
        public string Account { get; } = account;
        public string ClientId { get; } = clientId;
        public IReadOnlyList<string> Scopes { get; } = scopes;
        public string? RefreshToken { get; } = refreshToken;
        public bool Revoked { get; set; }
        public bool IsLive => !Revoked;
    }

    private sealed class AccessToken(Grant grant, Instant expiresAt)
    {
        public Grant Grant { get; } = grant;
        public Instant ExpiresAt { get; set; } = expiresAt;
    }
}
