namespace AuthPlatform.Application.Common.Security;

/// <summary>
/// The one source of randomness for secrets: generates them from a CSPRNG, and hashes the
/// high-entropy ones (refresh tokens), for which a fast SHA-256 suffices.
/// </summary>
public interface ISecretGenerator
{
    /// <summary>A URL-safe random secret of <paramref name="bytes"/> bytes from a CSPRNG.</summary>
    string NewSecret(int bytes = 32);

    /// <summary><paramref name="length"/> characters drawn uniformly from <paramref name="alphabet"/> (recovery codes).</summary>
    string NewCode(string alphabet, int length);

    /// <summary>The SHA-256 of the secret's UTF-8 bytes, in lower-case hex (how secrets are stored).</summary>
    string Hash(string secret);

    /// <summary>The same SHA-256 as <see cref="Hash(string)"/>, written as 32 bytes: no allocation for a secret of up to 256 characters.</summary>
    void Hash(ReadOnlySpan<char> secret, Span<byte> digest);
}
