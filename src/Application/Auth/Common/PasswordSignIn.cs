using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Auth.Common;

/// <summary>
/// The password step of signing in, one implementation for <c>POST /api/v1/auth/login</c>, the
/// authorization page's login form (both through the login use case) and the OAuth password grant:
/// the attempt is claimed on the account's and the address's budgets before any hash runs (ADR 0012);
/// an unknown address takes the same steps, to the same answers; a wrong password is counted and may
/// lock; a disabled account is refused like a wrong password. Success: the user, whose password was
/// right, still to be asked for a second factor when it has one.
/// </summary>
public sealed class PasswordSignIn(
    IUserRepository users,
    IPasswordHasher hasher,
    SignInAttempts attempts,
    IDomainEvents domainEvents)
{
    public static readonly Error InvalidCredentials = new(ErrorCodes.InvalidCredentials, "The email address or password is incorrect.");

    /// <summary>The user whose password this is, or a refusal that keeps its count and audit (<see cref="Result{T}.Refused"/>).</summary>
    public async Task<Result<User>> VerifyAsync(string email, string password, CancellationToken cancellationToken)
    {
        // An unknown address takes the same steps as a known one, to the same answers, in the
        // same time: the attempt is claimed on the address's budget either way (ADR 0012).
        var user = await users.FindByEmailAsync(email, cancellationToken);
        var claim = await attempts.ClaimAsync(email, user?.Id, cancellationToken);
        if (claim.IsFailure)
        {
            RecordRefused(user, FailureReasons.Locked);
            return Result<User>.Refused(claim.Error!);
        }

        var check = user is null ? PasswordCheck.Failed : hasher.Verify(user.PasswordHash, password);
        if (user is null)
        {
            hasher.VerifyAgainstDummy(password);
        }

        if (check == PasswordCheck.Failed)
        {
            var reason = user is null ? FailureReasons.UnknownAccount : FailureReasons.WrongPassword;
            return await attempts.FailAsync(
                claim.Value, user, AttemptKind.Password, reason, InvalidCredentials, cancellationToken, whenLocked: Error.AccountLocked);
        }

        await attempts.SucceedAsync(claim.Value, cancellationToken);

        if (user!.IsDisabled)
        {
            user.RecordRefusedLogin(FailureReasons.Disabled);
            return Result<User>.Refused(InvalidCredentials);
        }

        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.UpgradePasswordHash(hasher.Hash(password));
        }

        return user;
    }

    private void RecordRefused(User? user, string reason)
    {
        if (user is null)
        {
            domainEvents.Raise(new LoginFailed(null, reason));
        }
        else
        {
            user.RecordRefusedLogin(reason);
        }
    }
}
