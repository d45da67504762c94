using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.DisableTwoFactor;

/// <summary>Turns 2FA off; needs a factor (a code or a recovery code).</summary>
public sealed record DisableTwoFactorCommand(Guid UserId, string? Code, string? RecoveryCode) : ICommand<Result>;

public sealed class DisableTwoFactorValidator : AbstractValidator<DisableTwoFactorCommand>
{
    public DisableTwoFactorValidator() => this.OneFactor(c => c.Code, c => c.RecoveryCode);
}

public sealed class DisableTwoFactorHandler(CallerAccounts callers, SecondFactorVerifier verifier)
    : ICommandHandler<DisableTwoFactorCommand, Result>
{
    public async ValueTask<Result> Handle(DisableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var user = await callers.LoadEnrolledAsync(command.UserId, cancellationToken);
        if (user.IsFailure)
        {
            return user.Error!;
        }

        var check = await verifier.CheckAnyAsync(user.Value, command.Code, command.RecoveryCode, "disable", cancellationToken);
        if (check.IsFailure)
        {
            return check;
        }

        user.Value.DisableTwoFactor();
        return Result.Success();
    }
}
