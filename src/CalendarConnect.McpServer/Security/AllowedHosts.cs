using System.Collections.Frozen;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.Http;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Security;

/// <summary>
/// DNS-rebinding protection (MCP transport security): a request whose <c>Host</c>, or <c>Origin</c> when present,
/// names a host this server does not answer to is refused with 403 before anything else runs. Allowed: localhost,
/// 127.0.0.1, [::1], the host of GOOGLE_REDIRECT_URI (the public name), the hosts of MCP_SERVER_URL and GOOGLE_PUSH_URL, and every name
/// in MCP_ALLOWED_HOSTS (comma-separated; ports are ignored). Kestrel's default <c>AllowedHosts=*</c> checks nothing.
/// The health probes stay open: orchestrators call them by pod IP.
/// </summary>
public sealed class AllowedHosts
{
    public const string Variable = "MCP_ALLOWED_HOSTS";

    private readonly FrozenSet<string> _hosts;

    public AllowedHosts(McpServerSettings settings)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1" };
        // GOOGLE_REDIRECT_URI's default is on localhost, already allowed.
        foreach (var url in new[] { settings.GoogleRedirectUri, settings.McpServerUrl, settings.GooglePushUrl })
            if (Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)) hosts.Add(Normalize(uri.Host));
        foreach (var entry in (settings.AllowedHostNames ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            hosts.Add(Normalize(Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri.Host                                   // a URL
                : new HostString(entry).Host));              // a name, name:port, [v6] or [v6]:port
        _hosts = hosts.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public bool IsAllowed(HttpRequest request)
    {
        if (!request.Host.HasValue || !_hosts.Contains(Normalize(request.Host.Host))) return false;
        var origin = request.Headers.Origin;
        if (origin.Count == 0) return true;
        // "null" (sandboxed or opaque origins) and anything that is not one absolute URL is refused too.
        return origin.Count == 1 && Uri.TryCreate(origin[0], UriKind.Absolute, out var uri) && _hosts.Contains(Normalize(uri.Host));
    }

    // "[::1]" -> "::1", "localhost." -> "localhost"; comparison is case-insensitive.
    private static string Normalize(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.');
}

public static class AllowedHostsExtensions
{
    /// <summary>Refuses requests for a host this server does not answer to (see <see cref="AllowedHosts"/>).</summary>
    public static IApplicationBuilder UseAllowedHosts(this IApplicationBuilder app)
    {
        // Built on the first request: the settings are validated when the host starts, after the pipeline is built.
        var allowedHosts = new Lazy<AllowedHosts>(() => new AllowedHosts(app.ApplicationServices.GetRequiredService<IOptions<McpServerSettings>>().Value));
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<AllowedHosts>();
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (allowedHosts.Value.IsAllowed(context.Request) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
            {
                await next(context);
                return;
            }

            logger.LogWarning("Refused a request for host {Host} (origin {Origin}): not an allowed host. If this is a real name of this server, add it to {Variable}.",
                context.Request.Host.Value, context.Request.Headers.Origin.ToString(), AllowedHosts.Variable);
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"This server does not answer to that Host or Origin (DNS-rebinding protection). Allowed: localhost, the public host of GOOGLE_REDIRECT_URI, and {AllowedHosts.Variable}.");
        });
    }
}
