using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using FluentValidation;

namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>The shapes of codes, and the one loader of the 2FA calls that check a code.</summary>
public static class TwoFactorRules
{
    public static IRuleBuilderOptions<T, string?> TotpCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is { Length: 6 } && c.All(char.IsAsciiDigit)).WithMessage("A code is 6 digits.");

    public static IRuleBuilderOptions<T, string?> RecoveryCodeShape<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is { Length: <= 32 } && c.Count(char.IsLetterOrDigit) == RecoveryCodes.LocatorLength + RecoveryCodes.SecretLength)
            .WithMessage("A recovery code looks like xxxx-xxxx-xxxx.");

    /// <summary>Exactly one of <c>code</c> and <c>recovery_code</c>.</summary>
    public static void OneFactor<T>(this AbstractValidator<T> validator, Func<T, string?> code, Func<T, string?> recoveryCode)
    {
        validator.RuleFor(x => code(x)).TotpCode().When(x => code(x) is not null).OverridePropertyName("code");
        validator.RuleFor(x => recoveryCode(x)).RecoveryCodeShape().When(x => recoveryCode(x) is not null).OverridePropertyName("recovery_code");
        validator.RuleFor(x => x).Must(x => code(x) is null != (recoveryCode(x) is null))
            .WithMessage("Send either code or recovery_code.").OverridePropertyName("code");
    }

    /// <summary>The caller with 2FA on, recovery codes loaded, ready to check a code; else why not.</summary>
    public static async Task<Result<User>> LoadEnrolledAsync(this CallerAccounts callers, Guid userId, CancellationToken cancellationToken)
    {
        var user = await callers.LoadAsync(userId, cancellationToken, withRecoveryCodes: true);
        if (user.IsFailure)
        {
            return user;
        }

        return user.Value.TwoFactorEnabled ? user : Error.Conflict("Two-factor authentication is not on.");
    }
}
