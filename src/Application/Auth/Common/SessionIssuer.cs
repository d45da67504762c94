using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using MapsterMapper;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Auth.Common;

/// <summary>Starts sessions (token families) and signs the access tokens that go with them.</summary>
public sealed class SessionIssuer(
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    IAccessTokenIssuer accessTokens,
    IScopeCatalog scopeCatalog,
    IClientContext client,
    IMapper mapper,
    IOptions<JwtOptions> jwtOptions,
    TimeProvider clock)
{
    public SessionLifetimes Lifetimes =>
        new(jwtOptions.Value.RefreshTokenLifetime, jwtOptions.Value.SessionAbsoluteLifetime);

    /// <summary>A new session for a user who just proved who they are with <paramref name="authenticationMethods"/>.</summary>
    public async Task<SessionResponse> StartAsync(User user, IReadOnlyCollection<string> authenticationMethods, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var refreshToken = secrets.NewSecret();
        var scopes = ScopeSet.From(RoleScopes(user));
        var family = RefreshTokenFamily.Start(
            Guid.CreateVersion7(now), user.Id, secrets.Hash(refreshToken), scopes, authenticationMethods,
            client.IpAddress, client.UserAgent, Lifetimes, now);
        families.Add(family);

        var access = await IssueAccessTokenAsync(user, family, cancellationToken);
        return new SessionResponse(access.Token, refreshToken, "Bearer", access.ExpiresIn, access.ExpiresAt, mapper.Map<SessionUser>(user));
    }

    /// <summary>
    /// An access token for the session, as the user stands now: its scopes are those the login
    /// granted (the family's scopes, a cap that never widens) that the user's role still grants
    /// today, so a demoted administrator loses <c>admin</c> at the next refresh; its role and
    /// security-stamp fingerprint are the user's current ones. A family issued to an OAuth client
    /// keeps the OpenID Connect identity scopes the user consented to, and its tokens name the client.
    /// </summary>
    public Task<IssuedAccessToken> IssueAccessTokenAsync(User user, RefreshTokenFamily family, CancellationToken cancellationToken) =>
        IssueAccessTokenAsync(user, family, null, cancellationToken);

    /// <summary>As above, for at most <paramref name="narrowedTo"/> (a refresh that asked for less, RFC 6749 section 6).</summary>
    public Task<IssuedAccessToken> IssueAccessTokenAsync(User user, RefreshTokenFamily family, ScopeSet? narrowedTo, CancellationToken cancellationToken) =>
        accessTokens.IssueAsync(
            new AccessTokenRequest(
                user.Id, family.Id, EffectiveScopes(user, family, narrowedTo), family.AuthenticationMethodList, family.AuthenticatedAt,
                UserResponse.RoleName(user.Role), SecurityStamps.Fingerprint(user.SecurityStamp), family.ClientId),
            cancellationToken);

    /// <summary>The scopes of the session's next access token (see <see cref="IssueAccessTokenAsync(User, RefreshTokenFamily, ScopeSet?, CancellationToken)"/>).</summary>
    public ScopeSet EffectiveScopes(User user, RefreshTokenFamily family, ScopeSet? narrowedTo = null)
    {
        var held = RoleScopes(user);
        return ScopeSet.From(family.Scopes.Where(s =>
            (held.Contains(s, StringComparer.Ordinal) || (family.ClientId is not null && OAuthIdentityScopes.Contains(s)))
            && (narrowedTo is null || narrowedTo.Contains(s))));
    }

    private IReadOnlyList<string> RoleScopes(User user) => Scopes.ForRole(user.Role, scopeCatalog.OperatorScopes);
}
