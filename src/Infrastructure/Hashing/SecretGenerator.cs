using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Application.Common.Security;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthPlatform.Infrastructure.Hashing;

/// <summary>
/// High-entropy secrets from the OS CSPRNG, hashed with SHA-256: with 256 bits of randomness a
/// slow hash adds nothing and would cost the hot path (SPEC section 2).
/// </summary>
public sealed class SecretGenerator : ISecretGenerator
{
    public string NewSecret(int bytes = 32) => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(bytes));

    public string NewCode(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);

    public string Hash(string secret)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), digest);
        return Convert.ToHexStringLower(digest);
    }
}
