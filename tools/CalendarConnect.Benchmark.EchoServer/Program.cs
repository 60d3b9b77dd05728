using System.ComponentModel;
using ModelContextProtocol.Server;

// The floor every CalendarConnect tool is measured against: the MCP C# SDK's stateless Streamable HTTP endpoint
// with a tool that does nothing but return its argument. Same framework, transport and logging filters as the
// MCP Calendar Server, no database, no Google, no authentication.
var builder = WebApplication.CreateBuilder(args);
var port = builder.Configuration.GetValue("ECHO_PORT", 60010);
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
    .AddFilter("ModelContextProtocol", LogLevel.Warning);
builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = "benchmark-echo", Version = "1.0.0" })
    .WithHttpTransport(o => o.Stateless = true)
    .WithTools<EchoTool>();

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
app.MapMcp("/mcp");
app.Run();

[McpServerToolType]
public sealed class EchoTool
{
    [McpServerTool(Name = "echo", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Returns the message it was given.")]
    public static string Echo([Description("Any text.")] string message) => message;
}
