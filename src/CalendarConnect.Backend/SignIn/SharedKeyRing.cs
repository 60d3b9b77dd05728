using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using CalendarConnect.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

/// <summary>
/// DATA_PROTECTION_KEY: the key (32 random bytes, base64) that encrypts, at rest, the Data Protection key ring kept in
/// CUSTOMER_DB. Comma-separated to replace it: the first encrypts new keys, every one listed decrypts.
/// </summary>
public sealed class SharedKeyRingOptions
{
    public const string Variable = "DATA_PROTECTION_KEY";
    public const int KeyBytes = 32;

    /// <summary>Fixed, so every replica (whatever its folder or host) reads the others' cookies and tokens.</summary>
    public const string ApplicationName = "CalendarConnect.Backend";

    /// <summary>The entries of DATA_PROTECTION_KEY as given (trimmed; empty entries kept, so they can be refused).</summary>
    public IReadOnlyList<string> Keys { get; set; } = [];

    public static IReadOnlyList<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(',').Select(k => k.Trim()).ToArray();

    /// <summary>The 32 bytes of a valid entry, or null.</summary>
    public static byte[]? Decode(string entry)
    {
        var bytes = new byte[KeyBytes + 3];
        return Convert.TryFromBase64String(entry, bytes, out var written) && written == KeyBytes ? bytes[..KeyBytes] : null;
    }

    /// <summary>The first problem with the keys, one line naming the variable, or null (checked at start-up through BackendSettings).</summary>
    public string? Problem()
    {
        if (Keys.Count == 0)
            return $"{Variable} is not set: it encrypts the admin sign-in key ring kept in {CustomerDatabaseOptions.Variable}, and every replica needs the same one (generate one with: openssl rand -base64 32; the AppHost generates one).";
        // The messages name a key by position only: a key never reaches a log.
        for (var i = 0; i < Keys.Count; i++)
        {
            var which = Keys.Count == 1 ? "the key" : $"key {i + 1} of {Keys.Count} (comma-separated)";
            if (Keys[i].Length == 0)
                return $"{Variable} has an empty entry ({which}): remove the extra comma.";
            if (Decode(Keys[i]) is null)
                return $"{Variable}: {which} is not {KeyBytes} bytes in base64 (generate one with: openssl rand -base64 32).";
        }
        if (Keys.Distinct(StringComparer.Ordinal).Count() != Keys.Count)
            return $"{Variable} lists the same key twice.";
        return null;
    }
}

/// <summary>
/// AES-256-GCM under DATA_PROTECTION_KEY for the secrets of the key ring: the element stored in CUSTOMER_DB names the
/// key by a short id (so a replaced key can still decrypt what it wrote) and holds nonce, tag and ciphertext.
/// </summary>
public static class KeyRingCipher
{
    public static readonly XNamespace Namespace = "urn:calendarconnect:data-protection";
    public static readonly XName EncryptedElement = Namespace + "encryptedSecret";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    /// <summary>Binds each ciphertext to this use: the same key encrypting anything else could not be swapped in.</summary>
    private static readonly byte[] AssociatedData = "CalendarConnect.Backend Data Protection key ring"u8.ToArray();

    /// <summary>The first 8 hex digits of the key's SHA-256: tells the keys apart, reveals nothing of them.</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    public static XElement Encrypt(XElement plaintextElement, byte[] key)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBox = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = sealedBox.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagBytes))
            aes.Encrypt(nonce, plaintext, sealedBox.AsSpan(NonceBytes + TagBytes), sealedBox.AsSpan(NonceBytes, TagBytes), AssociatedData);
        CryptographicOperations.ZeroMemory(plaintext);
        return new XElement(EncryptedElement,
            new XAttribute("keyId", KeyId(key)),
            new XComment($" AES-256-GCM under {SharedKeyRingOptions.Variable} "),
            Convert.ToBase64String(sealedBox));
    }

    /// <exception cref="CryptographicException">No configured key wrote it, or it was changed.</exception>
    public static XElement Decrypt(XElement encryptedElement, IEnumerable<byte[]> keys)
    {
        var keyId = (string?)encryptedElement.Attribute("keyId");
        var key = keys.FirstOrDefault(k => KeyId(k) == keyId)
            ?? throw new CryptographicException($"A key of the key ring was encrypted with a {SharedKeyRingOptions.Variable} that is not configured (key id {keyId}).");
        byte[] sealedBox;
        try { sealedBox = Convert.FromBase64String(encryptedElement.Value.Trim()); }
        catch (FormatException) { throw new CryptographicException("A key of the key ring is not valid base64."); }
        if (sealedBox.Length < NonceBytes + TagBytes) throw new CryptographicException("A key of the key ring is truncated.");
        var plaintext = new byte[sealedBox.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(key, TagBytes))
            aes.Decrypt(sealedBox.AsSpan(0, NonceBytes), sealedBox.AsSpan(NonceBytes + TagBytes), sealedBox.AsSpan(NonceBytes, TagBytes), plaintext, AssociatedData);
        try { return XElement.Parse(Encoding.UTF8.GetString(plaintext)); }
        finally { CryptographicOperations.ZeroMemory(plaintext); }
    }
}

/// <summary>Data Protection's <see cref="IXmlEncryptor"/>: every key's secret is written through <see cref="KeyRingCipher"/>.</summary>
public sealed class AesGcmXmlEncryptor(IOptions<SharedKeyRingOptions> options) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(KeyRingCipher.Encrypt(plaintextElement, SharedKeyRing.DecodedKeys(options.Value)[0]), typeof(AesGcmXmlDecryptor));
}

/// <summary>
/// Data Protection's <see cref="IXmlDecryptor"/>, named in each stored key and created by the framework with the
/// service provider (its activator's convention).
/// </summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly IReadOnlyList<byte[]> _keys = SharedKeyRing.DecodedKeys(services.GetRequiredService<IOptions<SharedKeyRingOptions>>().Value);

    public XElement Decrypt(XElement encryptedElement) => KeyRingCipher.Decrypt(encryptedElement, _keys);
}

/// <summary>
/// Before the backend listens, under a lock every replica takes (PostgreSQL: an advisory lock; SQLite: a write
/// transaction, BEGIN IMMEDIATE): refuses a key ring whose secret is stored unencrypted, checks that
/// DATA_PROTECTION_KEY decrypts the key ring already stored (a replica with another key would otherwise quietly make
/// keys of its own and reject every other replica's cookies), re-encrypts under the first listed key every secret
/// written under another (so one restart completes a replacement of DATA_PROTECTION_KEY), then loads the key ring,
/// making its first key when there is none: replicas that start together on an empty database agree on one key.
/// </summary>
public sealed class SharedKeyRing(CustomerDatabase database, DatabaseXmlRepository repository,
    IDataProtectionProvider dataProtection, IOptions<SharedKeyRingOptions> options, ILogger<SharedKeyRing> log)
{
    /// <summary>An arbitrary, fixed advisory-lock key ("dpkeyrng" in ASCII).</summary>
    private const long KeyRingLockKey = 0x64706b657972_6e67;

    private volatile bool _ready;

    public static IReadOnlyList<byte[]> DecodedKeys(SharedKeyRingOptions options) =>
        options.Keys.Select(k => SharedKeyRingOptions.Decode(k) ?? throw new InvalidOperationException($"{SharedKeyRingOptions.Variable} was not validated.")).ToList();

    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        if (_ready) return;
        // The hosted services' StartingAsync runs before any StartAsync, so the schema may not be there yet.
        await database.EnsureSchemaAsync(cancellationToken);
        var keys = DecodedKeys(options.Value);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.Engine == DatabaseEngine.Postgres)
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key);", new { key = KeyRingLockKey }, cancellationToken: cancellationToken));
        // SQLite has no advisory lock: a write transaction (Microsoft.Data.Sqlite begins it IMMEDIATE) keeps every other
        // writer out until the key ring is settled; the repository works through this connection meanwhile.
        await using var transaction = database.Engine == DatabaseEngine.Sqlite ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            using (repository.UseLockedConnection(connection, transaction))
            {
                var rows = repository.GetAllRows();
                if (rows.FirstOrDefault(r => HasPlaintextSecret(r.Element)) is { FriendlyName: { } plaintext })
                    throw new StartupException($"The sign-in key ring in {CustomerDatabaseOptions.Variable} ('{database.DescribeLocation()}') holds a key whose secret is not encrypted ({plaintext}): delete the rows of data_protection_keys (every admin then signs in again).");
                var (current, unreadable) = CountUnreadableCurrentKeys(rows.Select(r => r.Element), keys);
                if (unreadable > 0)
                    throw new StartupException($"{SharedKeyRingOptions.Variable} cannot decrypt {unreadable} of the {current} current keys of the sign-in key ring in " +
                        $"{CustomerDatabaseOptions.Variable} ('{database.DescribeLocation()}'): every replica needs the same {SharedKeyRingOptions.Variable} " +
                        "(to replace it, list the new key first and the old one after it). To start over instead, delete the rows of data_protection_keys: every admin then signs in again.");
                var reencrypted = ReencryptUnderFirstKey(rows, keys);
                if (reencrypted > 0)
                    log.LogInformation("Re-encrypted {Count} keys of the sign-in key ring under the first key of {Variable}: the keys listed after it are no longer needed",
                        reencrypted, SharedKeyRingOptions.Variable);
                // Protecting anything loads the key ring, and makes and stores its first key when it has none.
                dataProtection.CreateProtector(typeof(SharedKeyRing).FullName!).Protect([0]);
            }
            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            if (database.Engine == DatabaseEngine.Postgres)
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key);", new { key = KeyRingLockKey });
        }
    }

    /// <summary>A key stored as the framework writes it without an encryptor: its &lt;masterKey&gt; in plain text.</summary>
    private static bool HasPlaintextSecret(XElement element) =>
        element.Name.LocalName == "key" && element.Descendants().Any(e => e.Name.LocalName == "masterKey");

    /// <summary>Rewrites every secret not under the first listed key under it; returns how many rows changed.</summary>
    private int ReencryptUnderFirstKey(IReadOnlyList<(string FriendlyName, XElement Element)> rows, IReadOnlyList<byte[]> keys)
    {
        var firstKeyId = KeyRingCipher.KeyId(keys[0]);
        var changed = 0;
        foreach (var (friendlyName, element) in rows)
        {
            var stale = element.Descendants(KeyRingCipher.EncryptedElement).Where(e => (string?)e.Attribute("keyId") != firstKeyId).ToList();
            var rewritten = 0;
            foreach (var secret in stale)
            {
                // A secret of an expired key no configured key reads (the check above allows it) stays as it is.
                XElement plaintext;
                try { plaintext = KeyRingCipher.Decrypt(secret, keys); }
                catch (CryptographicException) { continue; }
                secret.ReplaceWith(KeyRingCipher.Encrypt(plaintext, keys[0]));
                rewritten++;
            }
            if (rewritten == 0) continue;
            repository.ReplaceElement(friendlyName, element);
            changed++;
        }
        return changed;
    }

    /// <summary>Keys not yet expired whose secret this backend wrote, and how many of them no configured key decrypts.</summary>
    private static (int Current, int Unreadable) CountUnreadableCurrentKeys(IEnumerable<XElement> elements, IReadOnlyList<byte[]> keys)
    {
        int current = 0, unreadable = 0;
        foreach (var key in elements.Where(e => e.Name.LocalName == "key"))
        {
            // Data Protection dates its keys by the system clock (DateTimeOffset.UtcNow; it takes no TimeProvider, in
            // .NET 10 neither from options nor from DI), so this check must use the same clock to agree on which keys
            // are current: a TimeProvider here would only look testable while disagreeing with the framework.
            if ((DateTimeOffset?)key.Element("expirationDate") is { } expires && expires <= DateTimeOffset.UtcNow) continue;
            foreach (var secret in key.Descendants(KeyRingCipher.EncryptedElement))
            {
                current++;
                try { KeyRingCipher.Decrypt(secret, keys); }
                catch (CryptographicException) { unreadable++; }
            }
        }
        return (current, unreadable);
    }
}

/// <summary>
/// Runs <see cref="SharedKeyRing.PrepareAsync"/> in the host's StartingAsync, which runs before every hosted
/// service's StartAsync whatever the registration order: Data Protection's own hosted service, which loads the key
/// ring, must not make a key before the check (a replica with another DATA_PROTECTION_KEY would make one of its own).
/// </summary>
public sealed class SharedKeyRingInitializer(SharedKeyRing keyRing) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => keyRing.PrepareAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class SharedKeyRingServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Core Data Protection (what protects the admin cookie and the antiforgery tokens) with its key ring in
    /// CUSTOMER_DB, encrypted under DATA_PROTECTION_KEY, and one application name on every replica.
    /// </summary>
    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddSingleton<AesGcmXmlEncryptor>();
        services.AddHostedService<SharedKeyRingInitializer>(); // StartingAsync: first, whatever the registration order
        services.AddDataProtection().SetApplicationName(SharedKeyRingOptions.ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseXmlRepository, AesGcmXmlEncryptor>((o, repository, encryptor) =>
        {
            o.XmlRepository = repository;
            o.XmlEncryptor = encryptor;
        });
        services.AddSingleton<SharedKeyRing>();
        return services;
    }
}
