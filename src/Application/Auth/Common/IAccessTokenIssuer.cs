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

public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>Signs JWT access tokens with the current signing key.</summary>
public interface IAccessTokenIssuer
{
    Task<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken);
}
