using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ServiceAccounts;

/// <summary>
/// One client secret of a service account: only the SHA-256 of the 256-bit secret is kept. A
/// secret with an <see cref="ExpiresAt"/> in the past authenticates nothing. Changed only through
/// its <see cref="ServiceAccount"/>.
/// </summary>
public sealed class ClientSecret
{
    private ClientSecret()
    {
    }

    public Guid Id { get; private set; }

    public Guid ServiceAccountId { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the secret (not itself a secret: the secret has 256 bits).</summary>
    public string SecretHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public bool IsActive(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;

    internal static ClientSecret New(Guid id, Guid serviceAccountId, string secretHash, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("A client secret needs an id.");
        }

        Guard.Utc(now, nameof(now));
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new DomainException("A client secret cannot expire before it is created.");
        }

        return new ClientSecret
        {
            Id = id,
            ServiceAccountId = serviceAccountId,
            SecretHash = Guard.NotBlank(secretHash, nameof(secretHash), 128),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
    }
}
