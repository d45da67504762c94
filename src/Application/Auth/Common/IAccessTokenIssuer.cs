using AuthPlatform.Domain.Authorization;

namespace AuthPlatform.Application.Auth.Common;

public sealed record AccessTokenRequest(
    Guid UserId,
    Guid SessionId,
    ScopeSet Scopes,
    IReadOnlyCollection<string> AuthenticationMethods,
    DateTimeOffset AuthenticatedAt,
    string Role,
    string? ClientId = null);

public sealed record IssuedAccessToken(string Token, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>Signs JWT access tokens with the current signing key.</summary>
public interface IAccessTokenIssuer
{
    Task<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken);
}
