using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Users;

/// <summary>
/// Records a wrong password or a wrong code, wherever one is checked (RL-01): counted by the
/// store's atomic lockout rule (ADR 0009), reported on the user (its events feed the audit trail).
/// </summary>
public sealed class FailedAttempts(IUserRepository users, IOptions<LockoutOptions> lockout, TimeProvider clock)
{
    /// <summary>
    /// Counts the failure and answers <paramref name="error"/> as a refusal that keeps the count;
    /// when this failure locked the account and <paramref name="whenLocked"/> is given, answers that instead.
    /// </summary>
    public async Task<Result> RecordAsync(
        User user, AttemptKind kind, string reason, Error error, CancellationToken cancellationToken, Error? whenLocked = null)
    {
        var lockedNow = await users.RecordFailedLoginAsync(user, lockout.Value.ToPolicy(), clock.GetUtcNow(), cancellationToken);
        user.RecordFailedAttempt(kind, reason, lockedNow);
        return Result.Refused(lockedNow && whenLocked is not null ? whenLocked : error);
    }
}
