using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CalendarConnect.GoogleEmulator.Persistence;

/// <summary>
/// The EMULATOR_STATE_FILE format: what must survive a restart. Authorization codes, the request log, pending faults,
/// latency and quota settings and push channels are left out on purpose (codes live ten minutes; the others are
/// per-run test aids, and a client renews its channels anyway).
/// </summary>
public sealed record EmulatorState(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("accounts")] IReadOnlyList<AccountState> Accounts,
    [property: JsonPropertyName("grants")] IReadOnlyList<GrantState> Grants)
{
    public const int CurrentVersion = 1;
}

public sealed record AccountState(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated,
    [property: JsonPropertyName("change_count")] long ChangeCount,
    [property: JsonPropertyName("sync_epoch")] string SyncEpoch,
    [property: JsonPropertyName("events")] IReadOnlyList<EventState> Events);

/// <summary>
/// An event's Google resource as stored, and the change number that last touched it. A recurring master also keeps its
/// earlier schedules, so sync tokens handed out before a restart still learn which instances went away.
/// </summary>
public sealed record EventState(
    [property: JsonPropertyName("change_number")] long ChangeNumber,
    [property: JsonPropertyName("resource")] JsonObject Resource,
    [property: JsonPropertyName("prior_versions")] IReadOnlyList<PriorVersionState>? PriorVersions = null,
    [property: JsonPropertyName("prior_versions_trimmed_through")] long PriorVersionsTrimmedThrough = 0);

public sealed record PriorVersionState(
    [property: JsonPropertyName("replaced_by")] long ReplacedBy,
    [property: JsonPropertyName("resource")] JsonObject Resource);

/// <summary>One consent, oldest first (the order decides which refresh token dies past Google's limit).</summary>
public sealed record GrantState(
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("revoked")] bool Revoked,
    [property: JsonPropertyName("access_tokens")] IReadOnlyList<AccessTokenState> AccessTokens);

public sealed record AccessTokenState(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);
