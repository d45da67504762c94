using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The addresses Kestrel will listen on, read from configuration as Kestrel reads them, and whether
/// another process already holds one: checked before the database is touched, and reported again
/// (one line, exit code 1) if Kestrel still cannot bind when it starts.
/// </summary>
public static class ListeningAddresses
{
    /// <summary>(setting, address) pairs: <c>Kestrel:Endpoints:*:Url</c> if any, else <c>Urls</c>, else the <c>HTTP_PORTS</c> form, else Kestrel's default.</summary>
    public static IReadOnlyList<(string Key, string Url)> Configured(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Where(e => !string.IsNullOrWhiteSpace(e["Url"]))
            .Select(e => ($"Kestrel:Endpoints:{e.Key}:Url", e["Url"]!.Trim()))
            .ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }

        if (Split(configuration["urls"]) is { Length: > 0 } urls)
        {
            return urls.Select(url => ("Urls", url)).ToList();
        }

        var ports = Split(configuration["http_ports"]).Select(p => ("HTTP_PORTS", $"http://*:{p}"))
            .Concat(Split(configuration["https_ports"]).Select(p => ("HTTPS_PORTS", $"https://*:{p}")))
            .ToList();
        return ports.Count > 0 ? ports : [("Urls", "http://localhost:5000")];
    }

    /// <summary>An address Kestrel accepts: http or https, a host and a port, no path; null otherwise.</summary>
    public static BindingAddress? TryParse(string url)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            return address.Scheme is "http" or "https" && address.PathBase.Length == 0 && address.Port is >= 0 and <= 65535 ? address : null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>One line per configured address that another process is listening on.</summary>
    public static IReadOnlyList<string> FindTaken(IConfiguration configuration)
    {
        var errors = new List<string>();
        foreach (var (key, url) in Configured(configuration))
        {
            if (TryParse(url) is { } address && EndPoints(address).FirstOrDefault(IsTaken) is { } taken)
            {
                errors.Add(TakenLine(key, url, $"{taken} is already in use by another process"));
            }
        }

        return errors;
    }

    /// <summary>The lines of <see cref="FindTaken"/> when the server is Kestrel; none for the tests' in-memory server.</summary>
    public static IReadOnlyList<string> FindTaken(WebApplication app) => IsKestrel(app) ? FindTaken(app.Configuration) : [];

    /// <summary>Whether the application will listen with Kestrel (not the tests' in-memory server).</summary>
    public static bool IsKestrel(WebApplication app) =>
        app.Services.GetService<IServer>()?.GetType().Assembly == typeof(KestrelServerOptions).Assembly;

    public static string TakenLine(string key, string url, string detail) =>
        $"Configuration error: {key} (env {SettingsReader.EnvironmentName(key)}) asks to listen on {url}, but {detail}; "
        + "it must be an address no other process listens on: stop that process or choose another port.";

    private static IEnumerable<IPEndPoint> EndPoints(BindingAddress address)
    {
        if (address.IsUnixPipe || address.IsNamedPipe || address.Port == 0)
        {
            yield break;
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            yield return new IPEndPoint(IPAddress.Loopback, address.Port);
            if (Socket.OSSupportsIPv6)
            {
                yield return new IPEndPoint(IPAddress.IPv6Loopback, address.Port);
            }
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            yield return new IPEndPoint(ip, address.Port);
        }
        else
        {
            yield return new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, address.Port);
        }
    }

    /// <summary>Binds and listens as Kestrel's socket transport does; only "address in use" counts as taken.</summary>
    private static bool IsTaken(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen(1);
            return false;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.AddressAlreadyInUse;
        }
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
