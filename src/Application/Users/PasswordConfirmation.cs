using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Users;

/// <summary>
/// A signed-in user re-enters their password before a change that could take the account over
/// (enrolling an authenticator). The check is an attempt like any other (RL-01): claimed
/// before the password is evaluated, refused while the account is locked, a wrong password
/// counted (and kept) as <see cref="FailureReasons.WrongCurrentPassword"/>.
/// </summary>
public sealed class PasswordConfirmation(IPasswordHasher hasher, SignInAttempts attempts)
{
    public static readonly Error WrongCurrentPassword = new(ErrorCodes.InvalidCredentials, "The current password is incorrect.");

    public async Task<Result> ConfirmAsync(User user, string currentPassword, CancellationToken cancellationToken)
    {
        var claim = await attempts.ClaimAsync(user, cancellationToken);
        if (claim.IsFailure)
        {
            return claim.Error!;
        }

        if (hasher.Verify(user.PasswordHash, currentPassword) == PasswordCheck.Failed)
        {
            return await attempts.FailAsync(claim.Value, user, AttemptKind.Password, FailureReasons.WrongCurrentPassword, WrongCurrentPassword, cancellationToken);
        }

        await attempts.SucceedAsync(claim.Value, cancellationToken);
        return Result.Success();
    }
}
