using System.Text;
using System.Text.Json;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.McpServer.Tests.TokenVault;

/// <summary>The Fernet spec's own vectors (shared/data/fernet), verbatim.</summary>
public class FernetSpecVectorTests
{
    private static JsonElement[] Vectors(string file) =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.SharedFile("fernet", file))).RootElement.EnumerateArray().ToArray();

    private static Fernet At(string secret, string now)
    {
        Assert.True(FernetKey.TryParse(secret, out var key));
        return new Fernet([key], new FakeTimeProvider(DateTimeOffset.Parse(now)));
    }

    [Fact]
    public void Generate_vectors_produce_the_exact_token()
    {
        foreach (var v in Vectors("generate.json"))
        {
            var fernet = At(v.GetProperty("secret").GetString()!, v.GetProperty("now").GetString()!);
            var iv = v.GetProperty("iv").EnumerateArray().Select(b => (byte)b.GetInt32()).ToArray();
            var now = DateTimeOffset.Parse(v.GetProperty("now").GetString()!).ToUnixTimeSeconds();
            var token = fernet.Encrypt(Encoding.UTF8.GetBytes(v.GetProperty("src").GetString()!), now, iv);
            Assert.Equal(v.GetProperty("token").GetString(), token);
        }
    }

    [Fact]
    public void Verify_vectors_decrypt_to_the_source()
    {
        foreach (var v in Vectors("verify.json"))
        {
            var fernet = At(v.GetProperty("secret").GetString()!, v.GetProperty("now").GetString()!);
            var plain = fernet.DecryptToString(v.GetProperty("token").GetString()!, TimeSpan.FromSeconds(v.GetProperty("ttl_sec").GetInt32()));
            Assert.Equal(v.GetProperty("src").GetString(), plain);
        }
    }

    public static TheoryData<string> InvalidDescriptions() => new(Vectors("invalid.json").Select(v => v.GetProperty("desc").GetString()!));

    [Theory]
    [MemberData(nameof(InvalidDescriptions))]
    public void Invalid_vectors_are_rejected(string description)
    {
        var v = Vectors("invalid.json").Single(x => x.GetProperty("desc").GetString() == description);
        var fernet = At(v.GetProperty("secret").GetString()!, v.GetProperty("now").GetString()!);
        Assert.Throws<FernetException>(() => fernet.Decrypt(v.GetProperty("token").GetString()!, TimeSpan.FromSeconds(v.GetProperty("ttl_sec").GetInt32())));
    }

    [Fact]
    public void Rotation_decrypts_with_any_key_and_encrypts_with_the_first()
    {
        Assert.True(FernetKey.TryParse(FernetKey.Generate(), out var oldKey));
        Assert.True(FernetKey.TryParse(FernetKey.Generate(), out var newKey));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var oldToken = new Fernet([oldKey], time).Encrypt("refresh-token-value");
        var rotating = new Fernet([newKey, oldKey], time);
        Assert.Equal("refresh-token-value", rotating.DecryptToString(oldToken));
        Assert.False(rotating.IsUnderCurrentKey(oldToken));
        Assert.True(rotating.IsUnderCurrentKey(rotating.Encrypt("x")));
        Assert.Throws<FernetException>(() => new Fernet([newKey], time).Decrypt(oldToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    [InlineData("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4")] // a key, not a token
    public void Garbage_is_rejected_without_exceptions_other_than_FernetException(string token)
    {
        var fernet = new Fernet([Key()], TimeProvider.System);
        Assert.Throws<FernetException>(() => fernet.Decrypt(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=extra")]
    [InlineData("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=")] // standard alphabet is not url-safe base64
    public void Bad_keys_do_not_parse(string key) => Assert.False(FernetKey.TryParse(key, out _));

    private static FernetKey Key()
    {
        Assert.True(FernetKey.TryParse(FernetKey.Generate(), out var key));
        return key;
    }
}
