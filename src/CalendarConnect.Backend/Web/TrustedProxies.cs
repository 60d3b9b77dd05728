using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace CalendarConnect.Backend.Web;

/// <summary>
/// TRUSTED_PROXIES: the reverse proxies (addresses and CIDR networks, comma-separated) whose X-Forwarded-For and
/// X-Forwarded-Proto are believed. Unset, no forwarded header is: the client is the connection's address.
/// </summary>
public sealed class TrustedProxiesOptions
{
    public const string Variable = "TRUSTED_PROXIES";

    public List<IPAddress> Addresses { get; } = [];
    public List<IPNetwork> Networks { get; } = [];

    public bool Any => Addresses.Count > 0 || Networks.Count > 0;

    /// <summary>
    /// Adds the addresses and networks of a TRUSTED_PROXIES <paramref name="value"/> to <paramref name="options"/>;
    /// returns the entries that could not be read, one line each naming the variable.
    /// </summary>
    public static IReadOnlyList<string> Read(string? value, TrustedProxiesOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(value)) return problems;
        foreach (var entry in value.Split(',').Select(e => e.Trim()))
        {
            if (entry.Length == 0)
            {
                problems.Add($"{Variable} has an empty entry: remove the extra comma.");
                continue;
            }
            if (entry.Contains('/'))
            {
                // 10.0.0.1/8 is refused rather than read as 10.0.0.0/8: it is more likely a slip than a network.
                if (IPNetwork.TryParse(entry, out var network) && IPAddress.TryParse(entry[..entry.IndexOf('/')], out var given) && network.BaseAddress.Equals(given))
                {
                    options.Networks.Add(network);
                    continue;
                }
            }
            // Dotted or colon-separated only: IPAddress.TryParse would also take "10" as 0.0.0.10.
            else if ((entry.Contains('.') || entry.Contains(':')) && IPAddress.TryParse(entry, out var address))
            {
                options.Addresses.Add(address);
                continue;
            }
            problems.Add($"{Variable}: '{(entry.Length > 60 ? entry[..60] + "…" : entry)}' is neither an IP address (10.0.0.5, fd00::5) " +
                "nor a CIDR network whose address has no bits past its prefix (10.0.0.0/8, fd00::/64); separate entries with commas.");
        }
        return problems;
    }
}

public static class TrustedProxies
{
    /// <summary>
    /// The framework's forwarded-headers middleware, believing only the listed proxies. Without any, it is off, also
    /// when ASPNETCORE_FORWARDEDHEADERS_ENABLED asks for it (that switch believes every sender).
    /// </summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxiesOptions>>((o, trusted) =>
        {
            // The framework trusts loopback by default, and everyone when both lists are empty: start from nothing.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            if (!trusted.Value.Any)
            {
                o.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Through a chain of trusted proxies (a CDN, then a load balancer) the client is the last address that is
            // not one of them, however many hops that takes.
            o.ForwardLimit = null;
            foreach (var address in trusted.Value.Addresses) o.KnownProxies.Add(address);
            foreach (var network in trusted.Value.Networks) o.KnownIPNetworks.Add(network);
        });
        return services;
    }

    /// <summary>First in the pipeline: the client address (sign-in throttle, rate limits) and https (Secure cookies) come from here.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }
}
