using System.Diagnostics;
using CalendarConnect.McpServer.TokenVault;

namespace CalendarConnect.McpServer.Tests.TokenVault;

/// <summary>
/// Interoperability with the reference implementation: Python's cryptography (Fernet and MultiFernet), run as
/// a real python3 process, both directions. This is what lets the original Python system's rows be read.
/// </summary>
public class FernetPythonInteropTests
{
    private const string Plaintext = "ya29.a0AfH6SMC-ñandú-€-token";

    [Fact]
    public async Task Python_decrypts_what_we_encrypt()
    {
        var key = FernetKey.Generate();
        Assert.True(FernetKey.TryParse(key, out var parsed));
        var token = new Fernet([parsed], TimeProvider.System).Encrypt(Plaintext);
        Assert.StartsWith("gAAAAA", token);
        var output = await Python(
            "import sys; from cryptography.fernet import Fernet; sys.stdout.buffer.write(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()))",
            key, token);
        Assert.Equal(Plaintext, output);
    }

    [Fact]
    public async Task We_decrypt_what_python_encrypts()
    {
        var key = FernetKey.Generate();
        var token = (await Python(
            "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).encrypt(sys.argv[2].encode()).decode())",
            key, Plaintext)).Trim();
        Assert.True(FernetKey.TryParse(key, out var parsed));
        Assert.Equal(Plaintext, new Fernet([parsed], TimeProvider.System).DecryptToString(token));
    }

    [Fact]
    public async Task Python_MultiFernet_and_our_key_list_agree_on_rotation()
    {
        string oldKey = FernetKey.Generate(), newKey = FernetKey.Generate();
        var pythonToken = (await Python(
            "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).encrypt(b'old-row').decode())", oldKey)).Trim();
        Assert.True(FernetKey.TryParse(oldKey, out var o));
        Assert.True(FernetKey.TryParse(newKey, out var n));
        var ours = new Fernet([n, o], TimeProvider.System);
        Assert.Equal("old-row", ours.DecryptToString(pythonToken));
        var rotated = ours.Encrypt("old-row");
        var check = await Python(
            "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode())", newKey, rotated);
        Assert.Equal("old-row", check.Trim());
    }

    internal static async Task<string> Python(string code, params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "python3 failed: " + await stderr);
        return await stdout;
    }
}
