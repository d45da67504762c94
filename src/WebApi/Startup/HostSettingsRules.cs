using System.Net;
using AuthPlatform.WebApi.Http;

namespace AuthPlatform.WebApi.Startup;

/// <summary>What the host listens on, trusts and exports: <c>Urls</c>, <c>ForwardedHeaders</c>, <c>Https</c>, <c>Cors</c>, <c>Shutdown</c>, <c>Metrics</c> and <c>Otel</c>.</summary>
public static class HostSettingsRules
{
    public static readonly TimeSpan HstsMaxAgeMax = TimeSpan.FromDays(730);

    public static void Check(SettingsReader reader)
    {
        foreach (var (key, url) in ListeningAddresses.Configured(reader.Configuration))
        {
            if (ListeningAddresses.TryParse(url) is null)
            {
                reader.Fail(key, $"holds {Quote(url)}", "a list of http:// or https:// addresses separated by ';', each host:port without a path, e.g. http://0.0.0.0:8080");
            }
        }

        var proxies = reader.Configuration.GetSection("ForwardedHeaders:KnownProxies").GetChildren().ToList();
        foreach (var proxy in proxies)
        {
            if (proxy.Value is not { } text || !(text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal))
                || !IPAddress.TryParse(text, out _))
            {
                reader.Fail(proxy.Path, $"is {reader.Shown(proxy.Path)}", "a single IP address of a trusted reverse proxy, e.g. 10.0.0.5 (no CIDR range, no host name)");
            }
        }

        var https = reader.Bind<HttpsOptions>(HttpsOptions.SectionName);
        foreach (var flag in new[] { "Https:Redirect", "Https:Hsts", "Https:HstsIncludeSubDomains" })
        {
            if (reader.IsUnreadable(flag))
            {
                reader.Fail(flag, $"is {reader.Shown(flag)}", "true or false");
            }
        }

        reader.Duration("Https:HstsMaxAge", https.HstsMaxAge, TimeSpan.Zero, HstsMaxAgeMax);
        var shutdown = reader.Bind<ShutdownOptions>(ShutdownOptions.SectionName);
        reader.Duration("Shutdown:Timeout", shutdown.Timeout, ShutdownOptions.TimeoutMin, ShutdownOptions.TimeoutMax);
        if (reader.IsUnreadable("Https:Port") || https.Port is < 1 or > 65535)
        {
            reader.Fail("Https:Port", $"is {reader.Shown("Https:Port")}", "a TCP port from 1 to 65535, or unset");
        }

        var cors = reader.Bind<CrossOriginOptions>(CrossOriginOptions.SectionName);
        for (var i = 0; i < cors.AllowedOrigins.Count; i++)
        {
            if (!IsOrigin(cors.AllowedOrigins[i]))
            {
                var key = $"Cors:AllowedOrigins:{i}";
                reader.Fail(key, $"is {reader.Shown(key)}", "an origin: http or https, host and optional port, no path, no trailing slash, no wildcard, e.g. https://dashboard.example.com");
            }
        }
    }

    /// <summary>Sections <c>Metrics</c> and <c>Otel</c> (src/WebApi/Startup/Observability.cs), checked here before the database as well.</summary>
    public static void CheckObservability(SettingsReader reader)
    {
        var metrics = reader.Bind<MetricsOptions>(MetricsOptions.SectionName);
        if (reader.IsUnreadable("Metrics:Enabled"))
        {
            reader.Fail("Metrics:Enabled", $"is {reader.Shown("Metrics:Enabled")}", "true or false");
        }

        if (metrics.Path is not ['/', ..] || metrics.Path.Any(c => c is '{' or '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            reader.Fail("Metrics:Path", $"is {reader.Shown("Metrics:Path")}", "a fixed path that starts with '/', e.g. /metrics");
        }

        reader.Integer("Metrics:ScrapeCacheMilliseconds", metrics.ScrapeCacheMilliseconds, 0, 60_000);
        var otel = reader.Bind<OtelOptions>(OtelOptions.SectionName);
        if (!string.IsNullOrEmpty(otel.Endpoint) && !(Uri.TryCreate(otel.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
        {
            reader.Fail("Otel:Endpoint", $"is {reader.Shown("Otel:Endpoint")}", "empty, or an absolute http:// or https:// URL such as http://collector:4317");
        }

        if (otel.Protocol is not ("grpc" or "http/protobuf"))
        {
            reader.Fail("Otel:Protocol", $"is {reader.Shown("Otel:Protocol")}", "grpc or http/protobuf");
        }
    }

    /// <summary>An exact browser origin (<c>scheme://host[:port]</c>), as in the <c>Origin</c> header.</summary>
    public static bool IsOrigin(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && !value.Contains('*', StringComparison.Ordinal)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);

    private static string Quote(string value) => $"'{new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray())}'";
}
