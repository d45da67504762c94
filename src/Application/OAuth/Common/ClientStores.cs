using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>What kind of client a registration is.</summary>
public enum ClientKind
{
    ServiceAccount,
    OAuthClient,
}

/// <summary>A stored secret of a client: its SHA-256 (hex) and optional expiry.</summary>
public sealed record StoredClientSecret(Guid Id, string Hash, DateTimeOffset? ExpiresAt);

/// <summary>
/// A client as the token endpoint needs it, whatever stores it. <see cref="OwnerId"/> is the user the
/// client belongs to (a service account's owner); <see cref="OwnerRole"/> caps its scopes at the
/// owner's current role; <see cref="OwnerDisabled"/> stops it.
/// </summary>
public sealed record ClientRegistration(
    ClientKind Kind,
    Guid Id,
    string ClientId,
    bool IsConfidential,
    ScopeSet Scopes,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<StoredClientSecret> Secrets,
    Guid? OwnerId,
    UserRole? OwnerRole,
    bool OwnerDisabled)
{
    /// <summary>The owner's security-stamp fingerprint (<c>SecurityStamps.Fingerprint</c>), bound into the client's own tokens.</summary>
    public string? OwnerStampFingerprint { get; init; }

    /// <summary>A registered client an administrator marked as the operator's own: the only kind that may be registered for the password grant.</summary>
    public bool FirstParty { get; init; }

    /// <summary>True when the client is registered for <paramref name="grantType"/>.</summary>
    public bool Allows(string grantType) => GrantTypes.Contains(grantType, StringComparer.Ordinal);
}

/// <summary>
/// Finds clients by <c>client_id</c> for the token endpoint. Service accounts are one store
/// (<c>sa_…</c>), the OAuth client registry another (<c>oc_…</c>).
/// A store answers null for ids that are not its own (cheaply: by prefix where it can).
/// </summary>
public interface IClientStore
{
    Task<ClientRegistration?> FindAsync(string clientId, CancellationToken cancellationToken);
}

/// <summary>
/// Clients whose access tokens must stop at once (a deleted service account or OAuth client), remembered by this
/// instance's token validator for as long as any of their tokens can live.
/// </summary>
public interface IRevokedClients
{
    void Remember(string clientId, DateTimeOffset revokedAt);
}

/// <summary>
/// Failed client authentications per client address (<c>ClientAddresses.ThrottleKey</c>): past the
/// budget (<c>RateLimiting:PermitLimit</c> per <c>RateLimiting:WindowSeconds</c>), every client
/// authentication from that address is refused until the window ends. Successes cost nothing.
/// An attempt holds a slot while it is evaluated: parallel attempts never get more than the budget evaluated.
/// </summary>
public interface IClientAuthenticationThrottle
{
    /// <summary>Takes a slot for an attempt (it may wait for attempts in flight); the wait instead when the address has spent its budget of failures.</summary>
    Task<TimeSpan?> ReserveAsync(string addressKey, CancellationToken cancellationToken);

    /// <summary>Ends an attempt that was let through: a failure keeps its slot until the window ends, anything else gives it back.</summary>
    void Complete(string addressKey, bool failed);
}

/// <summary>A token issued at the token endpoint, for the audit trail (never the token itself).</summary>
public sealed record IssuedTokenRecord(
    string ClientId, Guid? UserId, string GrantType, string Scope, string? IpAddress, string? UserAgent, DateTimeOffset IssuedAt);

/// <summary>
/// Audits successful token issuance without a database write per grant: records are written in
/// batches by a background writer (at intervals and at shutdown), so issuance scales.
/// </summary>
public interface IIssuedTokenAudit
{
    void Record(IssuedTokenRecord record);
}
