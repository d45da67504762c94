namespace AuthPlatform.Domain.Sessions;

/// <summary>One token of a family. Only its SHA-256 hash is kept; it is redeemed at most once.</summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
    }

    internal RefreshToken(Guid id, Guid familyId, string tokenHash, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        Id = id;
        FamilyId = familyId;
        TokenHash = tokenHash;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }

    public Guid FamilyId { get; private set; }

    public string TokenHash { get; private set; } = string.Empty;

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RedeemedAt { get; private set; }

    internal void Redeem(DateTimeOffset now) => RedeemedAt = now;
}
