using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Users;

/// <summary>
/// A signed-in user re-enters their password before a change that could take the account over
/// (enrolling an authenticator). A locked account is refused before the password is checked; a
/// wrong password counts as a failed attempt (RL-01) and its count is kept.
/// </summary>
public sealed class PasswordConfirmation(IPasswordHasher hasher, FailedAttempts failedAttempts, TimeProvider clock)
{
    public static readonly Error WrongCurrentPassword = new(ErrorCodes.InvalidCredentials, "The current password is incorrect.");

    public async Task<Result> ConfirmAsync(User user, string currentPassword, CancellationToken cancellationToken)
    {
        if (user.IsLockedOut(clock.GetUtcNow()))
        {
            return Error.AccountLocked;
        }

        return hasher.Verify(user.PasswordHash, currentPassword) == PasswordCheck.Failed
            ? await failedAttempts.RecordAsync(user, AttemptKind.Password, FailureReasons.WrongCurrentPassword, WrongCurrentPassword, cancellationToken)
            : Result.Success();
    }
}
