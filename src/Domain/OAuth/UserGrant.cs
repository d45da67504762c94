using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary>
/// A user's consent for a client (one per user and client): the scopes the user granted it.
/// Widened by later consents, never narrowed but by revoking; revoking ends it (its refresh
/// tokens are revoked by the use case) until the user consents again.
/// </summary>
public sealed class UserGrant : AggregateRoot
{
    private UserGrant()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The public client identifier (<see cref="OAuthClient.ClientId"/>).</summary>
    public string ClientId { get; private set; } = string.Empty;

    public ScopeSet Scopes { get; private set; } = ScopeSet.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public int Version { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static UserGrant Grant(Guid id, Guid userId, string clientId, ScopeSet scopes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (id == Guid.Empty || userId == Guid.Empty)
        {
            throw new DomainException("A consent needs an id and a user.");
        }

        Guard.Utc(now, nameof(now));
        if (scopes.Count == 0)
        {
            throw new DomainException("A consent grants at least one scope.");
        }

        var grant = new UserGrant
        {
            Id = id,
            UserId = userId,
            ClientId = Guard.NotBlank(clientId, nameof(clientId), 128),
            Scopes = scopes,
            CreatedAt = now,
            UpdatedAt = now,
        };
        grant.Raise(new ConsentGranted(id, userId, grant.ClientId, scopes.ToString()));
        return grant;
    }

    /// <summary>True when the user already consented to every scope of <paramref name="requested"/> (the consent page can be skipped).</summary>
    public bool Covers(ScopeSet requested) => IsActive && requested.FirstMissingFrom(Scopes) is null;

    /// <summary>Adds <paramref name="scopes"/> to the consent; after a revocation, starts it again with them alone.</summary>
    public void Extend(ScopeSet scopes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        Guard.Utc(now, nameof(now));
        if (scopes.Count == 0)
        {
            throw new DomainException("A consent grants at least one scope.");
        }

        var merged = IsActive ? ScopeSet.From(Scopes.Concat(scopes)) : scopes;
        if (IsActive && merged.Equals(Scopes))
        {
            return;
        }

        Scopes = merged;
        RevokedAt = null;
        UpdatedAt = now;
        Version++;
        Raise(new ConsentGranted(Id, UserId, ClientId, scopes.ToString()));
    }

    /// <summary>Ends the consent. Idempotent.</summary>
    public void Revoke(DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        if (RevokedAt is not null)
        {
            return;
        }

        RevokedAt = now;
        UpdatedAt = now;
        Version++;
        Raise(new ConsentRevoked(Id, UserId, ClientId));
    }
}
