using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary>
/// One secret of a confidential client: only the SHA-256 of a 256-bit random value is kept (a
/// slow hash buys nothing for a secret that cannot be guessed). Changed only through its client.
/// </summary>
public sealed class OAuthClientSecret
{
    private OAuthClientSecret()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the secret.</summary>
    public string SecretHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    internal static OAuthClientSecret Create(Guid id, string secretHash, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("A client secret needs an id.");
        }

        Guard.Utc(now, nameof(now));
        var hash = Guard.NotBlank(secretHash, nameof(secretHash), 128);
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
        {
            throw new DomainException("A client secret is kept as the lowercase hex SHA-256 of the secret.");
        }

        return new OAuthClientSecret { Id = id, SecretHash = hash, CreatedAt = now };
    }

    /// <summary>Ends the secret at <paramref name="at"/> at the latest (an earlier expiry stays).</summary>
    internal void ExpireBy(DateTimeOffset at)
    {
        if (ExpiresAt is null || ExpiresAt > at)
        {
            ExpiresAt = at;
        }
    }
}
