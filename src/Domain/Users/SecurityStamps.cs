using System.Security.Cryptography;
using System.Text;

namespace AuthPlatform.Domain.Users;

/// <summary>
/// What tokens carry of a user's security stamp: a short fingerprint, never the stamp itself.
/// A token whose fingerprint is not the account's current one was issued before the credentials
/// or the account's standing changed, and is refused.
/// </summary>
public static class SecurityStamps
{
    /// <summary>The first 96 bits of the stamp's SHA-256, base64url: 16 characters.</summary>
    public static string Fingerprint(string stamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(stamp);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(stamp), hash);
        return Convert.ToBase64String(hash[..12]).Replace('+', '-').Replace('/', '_');
    }
}
