using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Auth.ChangePassword;

/// <summary>Changes the caller's password; every session but the current one is revoked (PWD-04).</summary>
public sealed record ChangePasswordCommand(Guid UserId, Guid? CurrentSessionId, string CurrentPassword, string NewPassword)
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
    IOptions<LockoutOptions> lockout,
    TimeProvider clock) : ICommandHandler<ChangePasswordCommand, Result<Done>>
{
    public async ValueTask<Result<Done>> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var user = await users.FindByIdAsync(command.UserId, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("The account");
        }

        if (user.IsLockedOut(now))
        {
            return new Error(ErrorCodes.AccountLocked, "This account is locked after too many failed attempts. Try again later.");
        }

        if (hasher.Verify(user.PasswordHash, command.CurrentPassword) == PasswordCheck.Failed)
        {
            // A wrong current password counts like a failed login (RL-01).
            var options = lockout.Value;
            user.RecordFailedLogin(now, new LockoutPolicy(options.MaxFailedAttempts, options.Window, options.Duration));
            audit.Record(AuditEventTypes.LoginFailed, user.Id, "reason=wrong_current_password");
            return Result<Done>.Refused(new Error(ErrorCodes.InvalidCredentials, "The current password is incorrect."));
        }

        user.ChangePassword(hasher.Hash(command.NewPassword));
        foreach (var family in await families.ListActiveForUserAsync(user.Id, now, cancellationToken))
        {
            if (family.Id != command.CurrentSessionId)
            {
                family.Revoke(RevocationReasons.PasswordChanged, now);
            }
        }

        audit.Record(AuditEventTypes.PasswordChanged, user.Id);
        return Done.Value;
    }
}
