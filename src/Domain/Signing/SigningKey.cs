using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Signing;

/// <summary>
/// An asymmetric key that signs access tokens. Rotation goes in phases (JWT-05): a new key is
/// published from <see cref="CreatedAt"/>, signs from <see cref="ActivatesAt"/>, stops signing at
/// <see cref="RetiredAt"/> and stays published until <see cref="PublishedUntil"/>, when the
/// last token it signed has expired. The private part is stored protected, never in clear.
/// </summary>
public sealed class SigningKey
{
    private SigningKey()
    {
    }

    public string KeyId { get; private set; } = string.Empty;

    public string Algorithm { get; private set; } = string.Empty;

    /// <summary>The public key as a JSON Web Key (RFC 7517), without private members.</summary>
    public string PublicJwk { get; private set; } = string.Empty;

    /// <summary>The private key, encrypted by the data-protection key ring.</summary>
    public string ProtectedPrivateKey { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ActivatesAt { get; private set; }

    public DateTimeOffset? RetiredAt { get; private set; }

    public DateTimeOffset? PublishedUntil { get; private set; }

    public static SigningKey Create(
        string keyId, string algorithm, string publicJwk, string protectedPrivateKey, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        Guard.Utc(now, nameof(now));
        if (activatesAt < now)
        {
            throw new DomainException("A signing key cannot activate before it exists.");
        }

        return new SigningKey
        {
            KeyId = Guard.NotBlank(keyId, nameof(keyId), 64),
            Algorithm = Guard.NotBlank(algorithm, nameof(algorithm), 16),
            PublicJwk = Guard.NotBlank(publicJwk, nameof(publicJwk), 4096),
            ProtectedPrivateKey = Guard.NotBlank(protectedPrivateKey, nameof(protectedPrivateKey), 16384),
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
    }

    public bool CanSign(DateTimeOffset now) => ActivatesAt <= now && (RetiredAt is null || RetiredAt > now);

    public bool IsPublished(DateTimeOffset now) => PublishedUntil is null || PublishedUntil > now;

    /// <summary>Stops signing at <paramref name="retireAt"/>; published until tokens signed before then expire.</summary>
    public void Retire(DateTimeOffset retireAt, TimeSpan longestTokenLifetime)
    {
        if (RetiredAt is not null && RetiredAt <= retireAt)
        {
            return;
        }

        RetiredAt = retireAt;
        PublishedUntil = retireAt + longestTokenLifetime;
    }
}
