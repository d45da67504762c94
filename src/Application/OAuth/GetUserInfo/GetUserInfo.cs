using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using Mediator;

namespace AuthPlatform.Application.OAuth.GetUserInfo;

/// <summary>
/// <c>GET</c>/<c>POST /oauth/userinfo</c> (OpenID Connect Core 1.0 section 5.3): the claims of the
/// user an access token with the <c>openid</c> scope was issued for. <c>sub</c> always; <c>email</c>
/// and <c>email_verified</c> with the <c>email</c> scope; <c>name</c> with <c>profile</c>. The token
/// was validated by the bearer scheme (signature, lifetime, stamps, revocations); this reads the
/// user's current claims. A token without a user (a client's own) or whose user is gone or disabled
/// is <c>invalid_token</c>.
/// </summary>
public sealed record GetUserInfoQuery(CallerIdentity Caller) : IQuery<Result<UserInfoResponse>>;

/// <summary>
/// OpenID Connect standard claims (Core 5.1). <see cref="EmailVerified"/> is false: AuthPlatform
/// does not verify addresses (no confirmation mail), so it never claims one is verified.
/// </summary>
public sealed record UserInfoResponse(string Sub, string? Email = null, bool? EmailVerified = null, string? Name = null);

public sealed class GetUserInfoHandler(IUserRepository users) : IQueryHandler<GetUserInfoQuery, Result<UserInfoResponse>>
{
    public static readonly Error NoUser = new(ErrorCodes.InvalidToken, "This access token was not issued for a user.");
    public static readonly Error NoOpenId = new(ErrorCodes.InsufficientScope, "The userinfo endpoint needs an access token with the 'openid' scope.");

    public async ValueTask<Result<UserInfoResponse>> Handle(GetUserInfoQuery query, CancellationToken cancellationToken)
    {
        var caller = query.Caller;
        if (caller.UserId is not { } userId)
        {
            return NoUser;
        }

        if (!caller.Scopes.Contains(OAuthIdentityScopes.OpenId, StringComparer.Ordinal))
        {
            return NoOpenId;
        }

        var user = await users.FindByIdAsync(userId, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            return NoUser with { Message = "The user of this access token no longer exists or is disabled." };
        }

        var email = caller.Scopes.Contains(OAuthIdentityScopes.Email, StringComparer.Ordinal);
        var profile = caller.Scopes.Contains(Scopes.Profile, StringComparer.Ordinal);
        return new UserInfoResponse(
            user.Id.ToString(),
            email ? user.Email.Value : null,
            email ? false : null,
            profile && !string.IsNullOrWhiteSpace(user.Name) ? user.Name : null);
    }
}
