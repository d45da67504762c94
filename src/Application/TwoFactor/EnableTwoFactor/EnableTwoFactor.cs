using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.EnableTwoFactor;

/// <summary>Turns 2FA on once a code from the app proves it holds the secret; answers ten recovery codes.</summary>
public sealed record EnableTwoFactorCommand(Guid UserId, string? Code) : ICommand<Result<RecoveryCodesResponse>>;

public sealed class EnableTwoFactorValidator : AbstractValidator<EnableTwoFactorCommand>
{
    public EnableTwoFactorValidator() => RuleFor(c => c.Code).TotpCode();
}

public sealed class EnableTwoFactorHandler(CallerAccounts callers, SecondFactorVerifier verifier, RecoveryCodes recoveryCodes, TimeProvider clock)
    : ICommandHandler<EnableTwoFactorCommand, Result<RecoveryCodesResponse>>
{
    public async ValueTask<Result<RecoveryCodesResponse>> Handle(EnableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var loaded = await callers.LoadAsync(command.UserId, cancellationToken, withRecoveryCodes: true);
        if (loaded.IsFailure)
        {
            return loaded.Error!;
        }

        var user = loaded.Value;
        if (user.TwoFactorEnabled || user.PendingTotpSecret is null)
        {
            return Error.Conflict(user.TwoFactorEnabled ? "Two-factor authentication is already on." : "Start with POST /api/v1/auth/2fa/setup.");
        }

        var step = await verifier.CheckTotpAsync(user, command.Code!, pending: true, "enable", cancellationToken);
        if (step.IsFailure)
        {
            return step.WithoutValue();
        }

        var codes = recoveryCodes.Generate(user);
        user.EnableTwoFactor(step.Value, codes.Entities, clock.GetUtcNow());
        return new RecoveryCodesResponse(codes.Codes);
    }
}
