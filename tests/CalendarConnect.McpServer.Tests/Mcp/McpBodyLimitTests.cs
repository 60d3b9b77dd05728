using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>
/// POST /mcp bodies over the 1 MB limit are the client's fault: 413, and no error, unhandled-exception line or stack
/// trace in the log, whether the size is announced (Content-Length) or only found while reading (chunked).
/// </summary>
public class McpBodyLimitTests
{
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // sent chunked: the server finds the size only while reading
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_answers_413_and_logs_no_error(bool announced)
    {
        await using var h = await McpServerHarness.StartAsync();
        var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_current_time","arguments":{"pad":"PAD"}}}"""
            .Replace("PAD", new string('x', 2 * 1024 * 1024)));
        using var http = h.ServiceClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = announced ? new ByteArrayContent(body) : new ChunkedContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("X-Customer-Id", "empresa-grande-1");
        if (!announced) request.Headers.TransferEncodingChunked = true;
        // Expect: 100-continue, so the 413 comes before the body is sent: otherwise the server's answer and closed
        // connection can cut the client's sending of 2 MB (a broken pipe, not an answer).
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("nhandled", StringComparison.Ordinal));
    }
}
