using System.Net;
using System.Net.Sockets;

namespace AuthPlatform.Application.Common.Security;

/// <summary>How a client address is counted: one IPv4 address, or one IPv6 /64 (a single subscriber's usual allocation).</summary>
public static class ClientAddresses
{
    public const string Unknown = "unknown";

    public static string ThrottleKey(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return Unknown;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }

        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
