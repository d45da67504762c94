// Longer than 150 lines because the aggregate keeps its rotation rule and the state its concurrency token guards together.
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Sessions;

/// <summary>
/// A session: the chain of refresh tokens that one login started. Exactly one token of the
/// family is current; presenting any other (already redeemed) token is reuse and revokes the
/// family. <see cref="Version"/> is a concurrency token: two rotations of one family can never
/// both be saved, so a token never yields two usable successors.
/// </summary>
public sealed class RefreshTokenFamily : AggregateRoot
{
    private readonly List<RefreshToken> _tokens = [];

    private RefreshTokenFamily()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastUsedAt { get; private set; }

    /// <summary>The family ends here whatever its tokens say (no endless sliding sessions).</summary>
    public DateTimeOffset AbsoluteExpiresAt { get; private set; }

    /// <summary>When the user proved who they are; refreshes keep it.</summary>
    public DateTimeOffset AuthenticatedAt { get; private set; }

    /// <summary>Authentication methods of the login (RFC 8176 values, space separated).</summary>
    public string AuthenticationMethods { get; private set; } = string.Empty;

    public ScopeSet Scopes { get; private set; } = ScopeSet.Empty;

    /// <summary>The OAuth client (<c>oc_…</c>) the family was issued to by the authorization-code grant; null for a user's own session.</summary>
    public string? ClientId { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public Guid CurrentTokenId { get; private set; }

    public DateTimeOffset CurrentTokenExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevocationReason { get; private set; }

    public int Version { get; private set; }

    /// <summary>The tokens loaded with the family (a repository loads only the one presented).</summary>
    public IReadOnlyCollection<RefreshToken> Tokens => _tokens;

    public static RefreshTokenFamily Start(
        Guid id,
        Guid userId,
        string tokenHash,
        ScopeSet scopes,
        IReadOnlyCollection<string> authenticationMethods,
        string? ipAddress,
        string? userAgent,
        SessionLifetimes lifetimes,
        DateTimeOffset now,
        string? clientId = null,
        DateTimeOffset? authenticatedAt = null)
    {
        if (id == Guid.Empty || userId == Guid.Empty)
        {
            throw new DomainException("A session needs an id and a user.");
        }

        Guard.Utc(now, nameof(now));
        if (authenticatedAt is { } at && (at > now || at.Offset != TimeSpan.Zero))
        {
            throw new DomainException("A session's authentication time is a UTC instant no later than its start.");
        }

        var family = new RefreshTokenFamily
        {
            Id = id,
            UserId = userId,
            CreatedAt = now,
            LastUsedAt = now,
            AuthenticatedAt = authenticatedAt ?? now,
            ClientId = clientId is null ? null : Guard.NotBlank(clientId, nameof(clientId), 128),
            AbsoluteExpiresAt = now + lifetimes.AbsoluteLifetime,
            Scopes = scopes,
            AuthenticationMethods = string.Join(' ', authenticationMethods),
            IpAddress = Truncate(ipAddress, 64),
            UserAgent = Truncate(userAgent, 512),
        };
        family.Issue(tokenHash, lifetimes, now);
        return family;
    }

    public bool IsActive(DateTimeOffset now) =>
        RevokedAt is null && AbsoluteExpiresAt > now && CurrentTokenExpiresAt > now;

    /// <summary>Authentication methods of the login, as a list.</summary>
    public IReadOnlyList<string> AuthenticationMethodList => AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Redeems the presented token and issues its successor. A token that was already redeemed
    /// is reuse (<see cref="RefreshTokenReuseDetected"/>): the caller revokes the whole family with
    /// the store's atomic revocation, its newest token with it (ADR 0009). Nothing changes here then.
    /// </summary>
    public RotationOutcome Rotate(string presentedTokenHash, string newTokenHash, SessionLifetimes lifetimes, DateTimeOffset now)
    {
        Guard.NotBlank(newTokenHash, nameof(newTokenHash), 128);
        Guard.Utc(now, nameof(now));
        var presented = _tokens.SingleOrDefault(t => t.TokenHash == presentedTokenHash)
            ?? throw new DomainException("The presented token does not belong to this family.");

        if (RevokedAt is not null)
        {
            // Replaying a redeemed token is still reuse; any other token of a revoked session is
            // simply over.
            return presented.RedeemedAt is not null ? ReuseDetected() : RotationOutcome.Revoked;
        }

        if (presented.RedeemedAt is not null || presented.Id != CurrentTokenId)
        {
            return ReuseDetected();
        }

        if (presented.ExpiresAt <= now || AbsoluteExpiresAt <= now)
        {
            return RotationOutcome.Expired;
        }

        presented.Redeem(now);
        LastUsedAt = now;
        Issue(newTokenHash, lifetimes, now);
        Raise(new TokenRefreshed(UserId, Id));
        return RotationOutcome.Rotated;
    }

    /// <summary>
    /// Reports a revocation that the store made. Revoking is one atomic conditional update in the
    /// store (the first revocation wins and no racing refresh can undo it, ADR 0009); the family
    /// only raises <see cref="SessionRevoked"/> for the call that revoked it.
    /// </summary>
    public void RecordRevoked(string reason) => Raise(new SessionRevoked(UserId, Id, reason));

    private RotationOutcome ReuseDetected()
    {
        Raise(new RefreshTokenReuseDetected(UserId, Id));
        return RotationOutcome.ReuseDetected;
    }

    private void Issue(string tokenHash, SessionLifetimes lifetimes, DateTimeOffset now)
    {
        Guard.NotBlank(tokenHash, nameof(tokenHash), 128);
        var expiresAt = now + lifetimes.RefreshTokenLifetime;
        if (expiresAt > AbsoluteExpiresAt)
        {
            expiresAt = AbsoluteExpiresAt;
        }

        var token = new RefreshToken(Guid.CreateVersion7(now), Id, tokenHash, now, expiresAt);
        _tokens.Add(token);
        CurrentTokenId = token.Id;
        CurrentTokenExpiresAt = expiresAt;
        Version++;
    }

    private static string? Truncate(string? value, int max) =>
        value is null ? null : value.Length <= max ? value : value[..max];
}
