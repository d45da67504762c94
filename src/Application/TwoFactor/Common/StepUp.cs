using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>
/// Sensitive operations need proof of the second factor when the user has 2FA on (SPEC
/// section 7): a session whose login verified it in the last 10 minutes, or a current code sent
/// as <c>X-2FA-Code</c>, which the command carries as its step-up code.
/// </summary>
public sealed class StepUp(SecondFactorVerifier verifier, IRefreshTokenFamilyRepository sessions, TimeProvider clock)
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(10);

    public static readonly Error SessionEnded = new(ErrorCodes.InvalidToken, "This session has ended: sign in again.");

    public static readonly Error SecondFactorNeeded = new(
        ErrorCodes.MfaRequired, "This operation needs a second factor: send a current code in the X-2FA-Code header, or sign in again with your code.");

    /// <summary>Success when the caller may go on; else the refusal to answer (a wrong code's failure is kept).</summary>
    public async Task<Result> RequireAsync(CallerIdentity caller, User user, string? stepUpCode, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();

        // A sensitive operation checks that the caller's session still lives: an access token
        // outlives a logout or a revocation by up to its lifetime, but not here.
        if (caller.SessionId is { } sessionId && !IsLive(await sessions.FindByIdAsync(sessionId, cancellationToken), now))
        {
            return SessionEnded;
        }

        if (!user.TwoFactorEnabled)
        {
            return Result.Success();
        }

        if (caller.VerifiedSecondFactor && caller.AuthenticatedAt is { } at && now - at <= FreshFor)
        {
            return Result.Success();
        }

        if (string.IsNullOrWhiteSpace(stepUpCode))
        {
            return SecondFactorNeeded;
        }

        return (await verifier.CheckTotpAsync(user, stepUpCode.Trim(), pending: false, "step_up", cancellationToken)).WithoutValue();
    }

    private static bool IsLive(Domain.Sessions.RefreshTokenFamily? session, DateTimeOffset now) => session is not null && session.IsActive(now);
}
