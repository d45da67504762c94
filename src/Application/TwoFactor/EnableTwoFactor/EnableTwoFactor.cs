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

namespace AuthPlatform.Application.TwoFactor.EnableTwoFactor;

/// <summary>
/// Turns 2FA on once a code from the app proves it holds the secret; answers ten recovery codes.
/// Needs the current password too (the pending secret can be read back from <c>qr.png</c>, so the
/// code alone proves nothing about who sends it). Turning 2FA on is a change of authentication
/// factor (ASVS 7.4.3): every other session is revoked and the new security stamp ends every
/// access token, so the current session refreshes to go on.
/// </summary>
public sealed record EnableTwoFactorCommand(CallerIdentity Caller, string? Code, string CurrentPassword) : ICommand<Result<RecoveryCodesResponse>>, ISavesWithoutAmbientTransaction;

public sealed class EnableTwoFactorValidator : AbstractValidator<EnableTwoFactorCommand>
{
    public EnableTwoFactorValidator()
    {
        RuleFor(c => c.Code).TotpCode();
        RuleFor(c => c.CurrentPassword).PresentedPassword();
    }
}

public sealed class EnableTwoFactorHandler(
    CallerAccounts callers,
    PasswordConfirmation password,
    SecondFactorVerifier verifier,
    RecoveryCodes recoveryCodes,
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<EnableTwoFactorCommand, Result<RecoveryCodesResponse>>
{
    public async ValueTask<Result<RecoveryCodesResponse>> Handle(EnableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var loaded = await callers.LoadAsync(command.Caller, cancellationToken, withRecoveryCodes: true);
        if (loaded.IsFailure)
        {
            return loaded.Error!;
        }

        var user = loaded.Value;
        if (user.TwoFactorEnabled || user.PendingTotpSecret is null)
        {
            return Error.Conflict(user.TwoFactorEnabled ? "Two-factor authentication is already on." : "Start with POST /api/v1/auth/2fa/setup.");
        }

        // The password first: a wrong one is counted and claims no code's time step.
        if (await password.ConfirmAsync(user, command.CurrentPassword, cancellationToken) is { IsFailure: true } refused)
        {
            return refused;
        }

        var step = await verifier.CheckTotpAsync(user, command.Code!, pending: true, "enable", cancellationToken);
        if (step.IsFailure)
        {
            return step.WithoutValue();
        }

        var now = clock.GetUtcNow();
        var codes = recoveryCodes.Generate(user);
        await unitOfWork.StartWritesAsync(cancellationToken);
        user.EnableTwoFactor(step.Value, codes.Entities, secrets.NewSecret(16), now);
        await families.RevokeAllForUserAsync(user.Id, command.Caller.SessionId, RevocationReasons.TwoFactorChanged, now, cancellationToken);
        return new RecoveryCodesResponse(codes.Codes);
    }
}
