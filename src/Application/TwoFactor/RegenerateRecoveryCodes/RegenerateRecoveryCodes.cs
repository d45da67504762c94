using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.TwoFactor.RegenerateRecoveryCodes;

/// <summary>
/// Ten new recovery codes for a current TOTP code; the old ones stop working. The ten slow hashes
/// run before the transaction opens; the replacement is one SaveChanges.
/// </summary>
public sealed record RegenerateRecoveryCodesCommand(Guid UserId, string? Code) : ICommand<Result<RecoveryCodesResponse>>, ISavesWithoutAmbientTransaction;

public sealed class RegenerateRecoveryCodesValidator : AbstractValidator<RegenerateRecoveryCodesCommand>
{
    public RegenerateRecoveryCodesValidator() => RuleFor(c => c.Code).TotpCode();
}

public sealed class RegenerateRecoveryCodesHandler(CallerAccounts callers, SecondFactorVerifier verifier, RecoveryCodes recoveryCodes)
    : ICommandHandler<RegenerateRecoveryCodesCommand, Result<RecoveryCodesResponse>>
{
    public async ValueTask<Result<RecoveryCodesResponse>> Handle(RegenerateRecoveryCodesCommand command, CancellationToken cancellationToken)
    {
        var user = await callers.LoadEnrolledAsync(command.UserId, cancellationToken);
        if (user.IsFailure)
        {
            return user.Error!;
        }

        var check = await verifier.CheckTotpAsync(user.Value, command.Code!, pending: false, "recovery_codes", cancellationToken);
        if (check.IsFailure)
        {
            return check.WithoutValue();
        }

        var codes = recoveryCodes.Generate(user.Value);
        user.Value.ReplaceRecoveryCodes(codes.Entities);
        return new RecoveryCodesResponse(codes.Codes);
    }
}
