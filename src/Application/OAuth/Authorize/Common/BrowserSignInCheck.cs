using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.OAuth.Authorize.Common;

/// <summary>
/// Whether a browser's sign-in (its cookie, <see cref="BrowserSignIn"/>) still holds, for the pages
/// of <c>/oauth/authorize</c> and of the device verification: the cookie alone is not trusted for
/// long: a password change (a new stamp), a disabled account, or the end of the session the
/// browser's login started ends it.
/// </summary>
public sealed class BrowserSignInCheck(IUserRepository users, IRefreshTokenFamilyRepository families)
{
    public async Task<bool> HoldsAsync(BrowserSignIn signIn, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(signIn.UserId, cancellationToken);
        if (user is null || user.IsDisabled || SecurityStamps.Fingerprint(user.SecurityStamp) != signIn.StampFingerprint)
        {
            return false;
        }

        var session = await families.FindByIdAsync(signIn.SessionId, cancellationToken);
        return session is not null && session.UserId == user.Id && session.IsActive(now);
    }

    /// <summary>The sign-in's time, never after now (the clock of another node may be ahead).</summary>
    public static DateTimeOffset AuthTime(BrowserSignIn signIn, DateTimeOffset now)
    {
        var at = signIn.AuthenticatedAt.ToUniversalTime();
        return at > now ? now : at;
    }
}
