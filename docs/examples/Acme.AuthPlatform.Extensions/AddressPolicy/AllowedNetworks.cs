using System.Net;
using Microsoft.Extensions.Configuration;

namespace Acme.AuthPlatform.Extensions.AddressPolicy;

/// <summary>
/// The address ranges sign-ins may come from, read from <c>Acme:AllowedNetworks</c> (CIDR, IPv4 or
/// IPv6). A bad or empty list stops the start-up with the setting's name: an allow-list that
/// silently allows everything, or nothing, is worse than none.
/// </summary>
public sealed class AllowedNetworks
{
    public const string Section = "Acme:AllowedNetworks";

    private readonly IReadOnlyList<IPNetwork> _networks;

    private AllowedNetworks(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    public static AllowedNetworks From(IConfiguration configuration)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            if (!IPNetwork.TryParse(entry.Value?.Trim(), out var network))
            {
                throw new InvalidOperationException(
                    $"{Section}:{entry.Key}: '{entry.Value}' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32 (no bits set past the prefix).");
            }

            networks.Add(network);
        }

        return networks.Count > 0
            ? new AllowedNetworks(networks)
            : throw new InvalidOperationException($"{Section} is empty: list the CIDR ranges sign-ins may come from (e.g. {Section}__0=10.0.0.0/8).");
    }

    /// <summary>True when <paramref name="address"/> is in a listed range; an unknown address is not.</summary>
    public bool Contains(string? address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return _networks.Any(n => n.Contains(ip));
    }
}
