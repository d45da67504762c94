using AuthPlatform.Domain.Authorization;

namespace AuthPlatform.Application.Auth.Common;

/// <summary>
/// What an access token says. <see cref="StampFingerprint"/> is the user's
/// <see cref="Domain.Users.SecurityStamps.Fingerprint"/>: the token dies when the stamp changes.
/// </summary>
public sealed record AccessTokenRequest(
    Guid UserId,
    Guid SessionId,
    ScopeSet Scopes,
    IReadOnlyCollection<string> AuthenticationMethods,
    DateTimeOffset AuthenticatedAt,
    string Role,
    string StampFingerprint,
    string? ClientId = null);

/// <summary>
/// An access token a client gets for itself (client credentials, RFC 9068 section 2.2): no user,
/// so <c>sub</c> is the client id, beside <c>client_id</c> and <c>scope</c>. A client owned by a
/// user (a service account) names its owner and the owner's stamp fingerprint: the token dies
/// when the owner's credentials or standing change (disabled, demoted, password or 2FA changed).
/// </summary>
public sealed record ClientAccessTokenRequest(string ClientId, ScopeSet Scopes, Guid? OwnerId = null, string? OwnerStampFingerprint = null);

public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>Signs JWT access tokens with the current signing key.</summary>
public interface IAccessTokenIssuer
{
    Task<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken);

    Task<IssuedAccessToken> IssueForClientAsync(ClientAccessTokenRequest request, CancellationToken cancellationToken);
}
