using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Auth.ChangePassword;

/// <summary>Changes the caller's password; every session but the current one is revoked (PWD-04).</summary>
public sealed record ChangePasswordCommand(CallerIdentity Caller, string CurrentPassword, string NewPassword)
    : ICommand<Result<Done>>;

public sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordValidator(ICommonPasswordList commonPasswords)
    {
        RuleFor(c => c.CurrentPassword).PresentedPassword();
        RuleFor(c => c.NewPassword).NewPassword(commonPasswords);
    }
}

public sealed class ChangePasswordHandler(
    IUserRepository users,
    IRefreshTokenFamilyRepository families,
    IPasswordHasher hasher,
    IAuditLog audit,
    StepUp stepUp,
    IOptions<LockoutOptions> lockout,
    TimeProvider clock) : ICommandHandler<ChangePasswordCommand, Result<Done>>
{
    public async ValueTask<Result<Done>> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var user = command.Caller.UserId is { } userId ? await users.FindByIdAsync(userId, cancellationToken) : null;
        if (user is null)
        {
            return Error.NotFound("The account");
        }

        if (user.IsLockedOut(now))
        {
            return Error.AccountLocked;
        }

        if (hasher.Verify(user.PasswordHash, command.CurrentPassword) == PasswordCheck.Failed)
        {
            // A wrong current password counts like a failed login (RL-01).
            audit.Record(AuditEventTypes.LoginFailed, user.Id, "reason=wrong_current_password");
            if (await users.RecordFailedLoginAsync(user, lockout.Value.ToPolicy(), now, cancellationToken))
            {
                audit.Record(AuditEventTypes.AccountLocked, user.Id, $"until={user.LockedUntil:O}");
            }

            return Result<Done>.Refused(new Error(ErrorCodes.InvalidCredentials, "The current password is incorrect."));
        }

        if (await stepUp.RequireAsync(command.Caller, user, cancellationToken) is { } refusal)
        {
            return refusal.KeepChanges ? Result<Done>.Refused(refusal.Error) : refusal.Error;
        }

        user.ChangePassword(hasher.Hash(command.NewPassword));
        await families.RevokeAllForUserAsync(user.Id, command.Caller.SessionId, RevocationReasons.PasswordChanged, now, cancellationToken);
        audit.Record(AuditEventTypes.PasswordChanged, user.Id);
        return Done.Value;
    }
}
