using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.ChangePassword;

/// <summary>
/// Changes the caller's password; every session but the current one is revoked (PWD-04), and the
/// new security stamp ends every access token, this one's too: the current session refreshes.
/// <see cref="StepUpCode"/> is the <c>X-2FA-Code</c> header. It hashes twice (the current
/// password and the new one) before its transaction opens, so it holds no write lock meanwhile.
/// </summary>
public sealed record ChangePasswordCommand(CallerIdentity Caller, string CurrentPassword, string NewPassword, string? StepUpCode = null)
    : ICommand<Result>, ISavesWithoutAmbientTransaction;

public sealed class ChangePasswordValidator : AbstractValidator<ChangePasswordCommand>
{
    public ChangePasswordValidator(IPasswordPolicy passwordPolicy)
    {
        RuleFor(c => c.CurrentPassword).PresentedPassword();
        RuleFor(c => c.NewPassword).NewPassword(passwordPolicy);
    }
}

public sealed class ChangePasswordHandler(
    CallerAccounts callers,
    IRefreshTokenFamilyRepository families,
    IPasswordHasher hasher,
    ISecretGenerator secrets,
    SignInAttempts attempts,
    StepUp stepUp,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<ChangePasswordCommand, Result>
{
    private static readonly Error WrongCurrentPassword = new(ErrorCodes.InvalidCredentials, "The current password is incorrect.");

    public async ValueTask<Result> Handle(ChangePasswordCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var loaded = await callers.LoadAsync(command.Caller, cancellationToken);
        if (loaded.IsFailure)
        {
            return CallerAccounts.AccountNotFound;
        }

        var user = loaded.Value;
        var claim = await attempts.ClaimAsync(user, cancellationToken);
        if (claim.IsFailure)
        {
            return claim.Error!;
        }

        if (hasher.Verify(user.PasswordHash, command.CurrentPassword) == PasswordCheck.Failed)
        {
            // A wrong current password counts like a failed login (RL-01).
            return await attempts.FailAsync(claim.Value, user, AttemptKind.Password, FailureReasons.WrongCurrentPassword, WrongCurrentPassword, cancellationToken);
        }

        await attempts.SucceedAsync(claim.Value, cancellationToken);

        if (await stepUp.RequireAsync(command.Caller, user, command.StepUpCode, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var newHash = hasher.Hash(command.NewPassword);
        await unitOfWork.StartWritesAsync(cancellationToken);
        user.ChangePassword(newHash, secrets.NewSecret(16), now);
        await families.RevokeAllForUserAsync(user.Id, command.Caller.SessionId, RevocationReasons.PasswordChanged, now, cancellationToken);
        return Result.Success();
    }
}
