using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.TokenVault;

/// <summary>
/// <c>rotate-keys</c>: re-encrypts every stored token (and pending PKCE verifier) under the first key of
/// TOKEN_ENCRYPTION_KEY. Each row is rewritten in one statement that only applies if the row is still what was
/// read, so the command can be stopped at any moment, run while servers are running, and run again to finish:
/// no row is ever lost or half-written.
/// </summary>
public sealed class KeyRotation(TokenDatabase database, Fernet fernet, TextWriter output)
{
    public sealed record Outcome(int Rotated, int AlreadyCurrent, int Unreadable, bool Interrupted);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<TokenRow>("SELECT customer_id, access_token, refresh_token FROM oauth_tokens ORDER BY customer_id")).ToList();
        var states = (await connection.QueryAsync<StateRow>("SELECT state_hash, code_verifier FROM oauth_states WHERE used_at IS NULL ORDER BY state_hash")).ToList();
        output.WriteLine($"Re-encrypting {rows.Count} connection(s) and {states.Count} pending authorization(s) in {database.Description} under the first key of TOKEN_ENCRYPTION_KEY.");

        int rotated = 0, current = 0, unreadable = 0, done = 0;
        var total = rows.Count + states.Count;
        foreach (var row in rows)
        {
            if (cancellationToken.IsCancellationRequested) return Stop(rotated, current, unreadable, done, total);
            var result = await RotateTokenRowAsync(connection, row);
            // Written meanwhile (a refresh, or a server still on the old configuration): read it again and retry.
            for (var retry = 0; result == RowResult.ChangedMeanwhile && retry < 3; retry++)
            {
                var fresh = await connection.QuerySingleOrDefaultAsync<TokenRow>(
                    "SELECT customer_id, access_token, refresh_token FROM oauth_tokens WHERE customer_id = @customerId", new { customerId = row.customer_id });
                result = fresh is null ? RowResult.AlreadyCurrent : await RotateTokenRowAsync(connection, fresh);
            }

            Count(result, ref rotated, ref current, ref unreadable);
            if (result == RowResult.Unreadable)
                output.WriteLine($"  customer {row.customer_id}: not readable with any configured key; left as it is.");
            Progress(++done, total);
        }

        foreach (var state in states)
        {
            if (cancellationToken.IsCancellationRequested) return Stop(rotated, current, unreadable, done, total);
            Count(await RotateStateRowAsync(connection, state), ref rotated, ref current, ref unreadable);
            Progress(++done, total);
        }

        output.WriteLine($"Done: {rotated} re-encrypted, {current} already under the current key, {unreadable} unreadable.");
        if (unreadable == 0 && rotated + current > 0)
            output.WriteLine("Every row is now under the first key: the other keys can be removed from TOKEN_ENCRYPTION_KEY.");
        return new Outcome(rotated, current, unreadable, Interrupted: false);
    }

    private enum RowResult { Rotated, AlreadyCurrent, Unreadable, ChangedMeanwhile }

    private async Task<RowResult> RotateTokenRowAsync(System.Data.Common.DbConnection connection, TokenRow row)
    {
        if (fernet.IsUnderCurrentKey(row.access_token) && (row.refresh_token is null || fernet.IsUnderCurrentKey(row.refresh_token)))
            return RowResult.AlreadyCurrent;
        string access, refresh;
        try
        {
            access = fernet.Encrypt(fernet.Decrypt(row.access_token));
            refresh = row.refresh_token is null ? null! : fernet.Encrypt(fernet.Decrypt(row.refresh_token));
        }
        catch (FernetException)
        {
            return RowResult.Unreadable;
        }

        // Applies only if nobody changed the row since we read it (a refresh writes under the current key anyway).
        var changed = await connection.ExecuteAsync(
            """
            UPDATE oauth_tokens SET access_token = @access, refresh_token = @refresh
            WHERE customer_id = @customerId AND access_token = @oldAccess AND COALESCE(refresh_token, '') = COALESCE(@oldRefresh, '')
            """,
            new { access, refresh = row.refresh_token is null ? null : refresh, customerId = row.customer_id, oldAccess = row.access_token, oldRefresh = row.refresh_token });
        return changed == 1 ? RowResult.Rotated : RowResult.ChangedMeanwhile;
    }

    private async Task<RowResult> RotateStateRowAsync(System.Data.Common.DbConnection connection, StateRow row)
    {
        if (fernet.IsUnderCurrentKey(row.code_verifier)) return RowResult.AlreadyCurrent;
        string verifier;
        try
        {
            verifier = fernet.Encrypt(fernet.Decrypt(row.code_verifier));
        }
        catch (FernetException)
        {
            return RowResult.Unreadable;
        }

        var changed = await connection.ExecuteAsync(
            "UPDATE oauth_states SET code_verifier = @verifier WHERE state_hash = @hash AND code_verifier = @old",
            new { verifier, hash = row.state_hash, old = row.code_verifier });
        return changed == 1 ? RowResult.Rotated : RowResult.ChangedMeanwhile;
    }

    private static void Count(RowResult result, ref int rotated, ref int current, ref int unreadable)
    {
        switch (result)
        {
            case RowResult.Rotated: rotated++; break;
            case RowResult.AlreadyCurrent or RowResult.ChangedMeanwhile: current++; break;
            case RowResult.Unreadable: unreadable++; break;
        }
    }

    private void Progress(int done, int total)
    {
        if (done == total || done % 100 == 0) output.WriteLine($"  {done}/{total}");
    }

    private Outcome Stop(int rotated, int current, int unreadable, int done, int total)
    {
        output.WriteLine($"Interrupted after {done} of {total} rows ({rotated} re-encrypted). Nothing was lost: run rotate-keys again to finish.");
        return new Outcome(rotated, current, unreadable, Interrupted: true);
    }

#pragma warning disable IDE1006
    private sealed record TokenRow(string customer_id, string access_token, string? refresh_token);

    private sealed record StateRow(string state_hash, string code_verifier);
#pragma warning restore IDE1006
}
