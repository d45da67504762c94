using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.TwoFactor;

/// <summary>
/// Sensitive operations need proof of the second factor when the user has 2FA on (SPEC
/// section 7): a session whose login verified it in the last 10 minutes, or a current code in
/// <c>X-2FA-Code</c>.
/// </summary>
public sealed class StepUp(SecondFactorVerifier verifier, IClientContext client, IRefreshTokenFamilyRepository sessions, TimeProvider clock)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(10);

    /// <summary>Null when the caller may go on; else the error to answer (a wrong code's failure is kept).</summary>
    public async Task<(Error Error, bool KeepChanges)?> RequireAsync(CallerIdentity caller, User user, CancellationToken cancellationToken)
    {
        // A sensitive operation checks that the caller's session still lives: an access token
        // outlives a logout or a revocation by up to its lifetime, but not here.
        if (caller.SessionId is { } sessionId && !IsLive(await sessions.FindByIdAsync(sessionId, cancellationToken)))
        {
            return (new Error(ErrorCodes.InvalidToken, "This session has ended: sign in again."), false);
        }

        if (!user.TwoFactorEnabled)
        {
            return null;
        }

        if (verifier.IsLocked(user))
        {
            return (SecondFactorVerifier.Locked, false);
        }

        if (caller.VerifiedSecondFactor && caller.AuthenticatedAt is { } at && clock.GetUtcNow() - at <= FreshFor)
        {
            return null;
        }

        if (client.SecondFactorCode is { } code)
        {
            if (await verifier.VerifyTotpAsync(user, code, pending: false, cancellationToken) is not null)
            {
                return null;
            }

            return (await verifier.RecordFailureAsync(user, "step_up", cancellationToken), true);
        }

        return (new Error(ErrorCodes.MfaRequired, "This operation needs a second factor: send a current code in the X-2FA-Code header, or sign in again with your code."), false);
    }

    private bool IsLive(Domain.Sessions.RefreshTokenFamily? session) => session is not null && session.IsActive(clock.GetUtcNow());
}
