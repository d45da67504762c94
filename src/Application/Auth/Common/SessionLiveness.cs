using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;

namespace AuthPlatform.Application.Auth.Common;

/// <summary>
/// Whether the session behind an access token still lives: the refresh-token family its
/// <c>sid</c> names belongs to the caller and is neither revoked nor expired. An access token
/// outlives a logout or a revocation until its <c>exp</c>; account-security and administrative
/// calls ask this (one read of the family) so that it does not outlive them there.
/// </summary>
public sealed class SessionLiveness(IRefreshTokenFamilyRepository families, TimeProvider clock)
{
    public static readonly Error SessionEnded = new(ErrorCodes.InvalidToken, "This session has ended: sign in again.");

    /// <summary>Success when the caller's session lives; a token that names no session cannot prove it does.</summary>
    public async Task<Result> RequireLiveAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (caller.SessionId is not { } sessionId || caller.UserId is not { } userId)
        {
            return SessionEnded;
        }

        var family = await families.FindByIdAsync(sessionId, cancellationToken);
        return family is not null && family.UserId == userId && family.IsActive(clock.GetUtcNow()) ? Result.Success() : SessionEnded;
    }
}
