using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// The one implementation of what a grant that signs a user in to a client issues
/// (<c>authorization_code</c>, <c>device_code</c>, and <c>password</c> for first-party clients):
/// the scopes the user may still hold, the refresh-token family when the client may refresh, and
/// the access token and id_token, counted and audited in batches.
/// </summary>
public sealed class UserGrantTokens(
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    IAccessTokenIssuer accessTokens,
    IIdTokenIssuer idTokens,
    IScopeCatalog scopeCatalog,
    SessionIssuer sessions,
    IIssuedTokenAudit audit,
    IClientContext context,
    AuthMetrics metrics)
{
    /// <summary>Of <paramref name="granted"/>, what the user may hold now: the identity scopes, and the others their role holds.</summary>
    public ScopeSet Holdable(IEnumerable<string> granted, User user)
    {
        var held = Scopes.ForRole(user.Role, scopeCatalog.OperatorScopes);
        return ScopeSet.From(granted.Where(s => OAuthIdentityScopes.Contains(s) || held.Contains(s, StringComparer.Ordinal)));
    }

    /// <summary>
    /// Starts (and adds to the unit of work) the grant's refresh-token family when the client is
    /// registered for <c>refresh_token</c>; the new refresh token is shown once.
    /// </summary>
    public (string? RefreshToken, RefreshTokenFamily? Family) StartFamily(
        ClientRegistration client, User user, ScopeSet scopes, IReadOnlyCollection<string> methods, DateTimeOffset now, DateTimeOffset? authTime)
    {
        if (!client.Allows(GrantTypes.RefreshToken))
        {
            return (null, null);
        }

        var refreshToken = secrets.NewSecret();
        var family = RefreshTokenFamily.Start(
            Guid.CreateVersion7(now), user.Id, secrets.Hash(refreshToken), scopes, methods,
            context.IpAddress, context.UserAgent, sessions.Lifetimes, now, client.ClientId, authTime);
        families.Add(family);
        return (refreshToken, family);
    }

    /// <summary>
    /// The answer of the grant: the access token of session <paramref name="sessionId"/>, an
    /// id_token when <c>openid</c> was granted, the issuance counted and audited (in batches).
    /// </summary>
    public async Task<TokenResponse> IssueAsync(UserTokenGrant grant, CancellationToken cancellationToken)
    {
        var (client, user, sessionId, scopes, methods, authTime, nonce, grantType, refreshToken, now) = grant;
        var access = await accessTokens.IssueAsync(
            new AccessTokenRequest(
                user.Id, sessionId, scopes, methods, authTime,
                UserResponse.RoleName(user.Role), SecurityStamps.Fingerprint(user.SecurityStamp), client.ClientId),
            cancellationToken);
        var idToken = scopes.Contains(OAuthIdentityScopes.OpenId)
            ? await idTokens.IssueAsync(new IdTokenRequest(user.Id, client.ClientId, nonce, authTime, methods), cancellationToken)
            : null;
        metrics.TokenIssued(AuthMetrics.TokenKinds.Access);
        audit.Record(new IssuedTokenRecord(client.ClientId, user.Id, grantType, scopes.ToString(), context.IpAddress, context.UserAgent, now));
        return new TokenResponse(access.Token, "Bearer", access.ExpiresIn, scopes.ToString(), refreshToken, idToken);
    }
}

/// <summary>What <see cref="UserGrantTokens.IssueAsync"/> issues for: the session (a family's id, or the grant's own id without one), and the sign-in it carries.</summary>
public sealed record UserTokenGrant(
    ClientRegistration Client,
    User User,
    Guid SessionId,
    ScopeSet Scopes,
    IReadOnlyList<string> Methods,
    DateTimeOffset AuthTime,
    string? Nonce,
    string GrantType,
    string? RefreshToken,
    DateTimeOffset Now);
