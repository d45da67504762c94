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
        Hash(secret, digest);
        return Convert.ToHexStringLower(digest);
    }

    public void Hash(ReadOnlySpan<char> secret, Span<byte> digest)
    {
        const int OnStack = 256;
        if (secret.Length > OnStack)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(secret.ToArray()), digest);
            return;
        }

        Span<byte> utf8 = stackalloc byte[OnStack * 3];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(secret, utf8)], digest);
    }
}
