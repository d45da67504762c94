using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Sessions;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.DisableTwoFactor;

/// <summary>
/// Turns 2FA off; needs a current factor (a code or a recovery code). A change of authentication
/// factor: every other session is revoked and the new security stamp ends every access token.
/// </summary>
public sealed record DisableTwoFactorCommand(CallerIdentity Caller, string? Code, string? RecoveryCode) : ICommand<Result>, ISavesWithoutAmbientTransaction;

public sealed class DisableTwoFactorValidator : AbstractValidator<DisableTwoFactorCommand>
{
    public DisableTwoFactorValidator() => this.OneFactor(c => c.Code, c => c.RecoveryCode);
}

public sealed class DisableTwoFactorHandler(
    CallerAccounts callers,
    SecondFactorVerifier verifier,
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<DisableTwoFactorCommand, Result>
{
    public async ValueTask<Result> Handle(DisableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        if (command.Caller.UserId is not { } userId)
        {
            return CallerAccounts.NotAUser;
        }

        var user = await callers.LoadEnrolledAsync(userId, cancellationToken);
        if (user.IsFailure)
        {
            return user.Error!;
        }

        var check = await verifier.CheckAnyAsync(user.Value, command.Code, command.RecoveryCode, "disable", cancellationToken);
        if (check.IsFailure)
        {
            return check;
        }

        // A recovery code was verified (a slow hash) with no transaction open; the writes start here.
        await unitOfWork.StartWritesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        user.Value.DisableTwoFactor(secrets.NewSecret(16), now);
        await families.RevokeAllForUserAsync(userId, command.Caller.SessionId, RevocationReasons.TwoFactorChanged, now, cancellationToken);
        return Result.Success();
    }
}
