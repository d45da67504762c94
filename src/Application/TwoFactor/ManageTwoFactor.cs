using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.TwoFactor;

public sealed record TwoFactorStatusResponse(bool Enabled, int RecoveryCodesLeft);

public sealed record TwoFactorSetupResponse(string Secret, string OtpauthUri, string QrCode);

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);

internal static class TwoFactorRules
{
    public static IRuleBuilderOptions<T, string?> TotpCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is { Length: 6 } && c.All(char.IsAsciiDigit)).WithMessage("A code is 6 digits.");

    public static IRuleBuilderOptions<T, string?> RecoveryCodeShape<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is { Length: <= 32 } && c.Count(char.IsLetterOrDigit) == SecondFactorVerifier.LocatorLength + SecondFactorVerifier.SecretLength)
            .WithMessage("A recovery code looks like xxxx-xxxx-xxxx.");

    /// <summary>Exactly one of <c>code</c> and <c>recovery_code</c>.</summary>
    public static void OneFactor<T>(this AbstractValidator<T> validator, Func<T, string?> code, Func<T, string?> recoveryCode)
    {
        validator.RuleFor(x => code(x)).TotpCode().When(x => code(x) is not null).OverridePropertyName("code");
        validator.RuleFor(x => recoveryCode(x)).RecoveryCodeShape().When(x => recoveryCode(x) is not null).OverridePropertyName("recovery_code");
        validator.RuleFor(x => x).Must(x => code(x) is null != (recoveryCode(x) is null))
            .WithMessage("Send either code or recovery_code.").OverridePropertyName("code");
    }

    public static Task<User?> LoadAsync(IUserRepository users, Guid id, CancellationToken ct) => users.FindByIdWithRecoveryCodesAsync(id, ct);

    /// <summary>A user with 2FA on and not locked, ready to check a code; else why not.</summary>
    public static async Task<(User? User, Error? Refusal)> LoadEnrolledAsync(
        IUserRepository users, SecondFactorVerifier verifier, Guid id, CancellationToken ct)
    {
        var user = await LoadAsync(users, id, ct);
        if (user is null)
        {
            return (null, Error.NotFound("The account"));
        }

        if (!user.TwoFactorEnabled)
        {
            return (null, Error.Conflict("Two-factor authentication is not on."));
        }

        return verifier.IsLocked(user) ? (null, SecondFactorVerifier.Locked) : (user, null);
    }
}

public sealed record GetTwoFactorStatusQuery(Guid UserId) : IQuery<Result<TwoFactorStatusResponse>>;

public sealed class GetTwoFactorStatusHandler(IUserRepository users) : IQueryHandler<GetTwoFactorStatusQuery, Result<TwoFactorStatusResponse>>
{
    public async ValueTask<Result<TwoFactorStatusResponse>> Handle(GetTwoFactorStatusQuery query, CancellationToken cancellationToken)
    {
        var user = await TwoFactorRules.LoadAsync(users, query.UserId, cancellationToken);
        return user is null ? Error.NotFound("The account") : new TwoFactorStatusResponse(user.TwoFactorEnabled, user.RecoveryCodesLeft);
    }
}

/// <summary>Creates a new 160-bit secret and answers it with its <c>otpauth://</c> URI and QR code. 2FA is not on yet.</summary>
public sealed record SetupTwoFactorCommand(Guid UserId) : ICommand<Result<TwoFactorSetupResponse>>;

public sealed class SetupTwoFactorHandler(IUserRepository users, ITotp totp, ISecretProtector protector, IQrCodeRenderer qr)
    : ICommandHandler<SetupTwoFactorCommand, Result<TwoFactorSetupResponse>>
{
    public async ValueTask<Result<TwoFactorSetupResponse>> Handle(SetupTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.UserId, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("The account");
        }

        if (user.TwoFactorEnabled)
        {
            return Error.Conflict("Two-factor authentication is already on. Disable it first to enrol a new authenticator.");
        }

        var secret = totp.NewSecret();
        user.BeginTwoFactorSetup(protector.Protect(secret));
        var uri = totp.BuildUri(user.Email, secret);
        return new TwoFactorSetupResponse(secret, uri, "data:image/png;base64," + Convert.ToBase64String(qr.Png(uri)));
    }
}

/// <summary>The QR code of the enrolment in progress; there is none once 2FA is on (the secret is never shown again).</summary>
public sealed record GetTwoFactorQrCodeQuery(Guid UserId) : IQuery<Result<byte[]>>;

public sealed class GetTwoFactorQrCodeHandler(IUserRepository users, ITotp totp, ISecretProtector protector, IQrCodeRenderer qr)
    : IQueryHandler<GetTwoFactorQrCodeQuery, Result<byte[]>>
{
    public async ValueTask<Result<byte[]>> Handle(GetTwoFactorQrCodeQuery query, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(query.UserId, cancellationToken);
        if (user?.PendingTotpSecret is null)
        {
            return Error.NotFound("An enrolment in progress");
        }

        return qr.Png(totp.BuildUri(user.Email, protector.Unprotect(user.PendingTotpSecret)));
    }
}

/// <summary>Turns 2FA on once a code from the app proves it holds the secret; answers ten recovery codes.</summary>
public sealed record EnableTwoFactorCommand(Guid UserId, string? Code) : ICommand<Result<RecoveryCodesResponse>>;

public sealed class EnableTwoFactorValidator : AbstractValidator<EnableTwoFactorCommand>
{
    public EnableTwoFactorValidator() => RuleFor(c => c.Code).TotpCode();
}

public sealed class EnableTwoFactorHandler(IUserRepository users, SecondFactorVerifier verifier, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<EnableTwoFactorCommand, Result<RecoveryCodesResponse>>
{
    public async ValueTask<Result<RecoveryCodesResponse>> Handle(EnableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var user = await TwoFactorRules.LoadAsync(users, command.UserId, cancellationToken);
        if (user is null)
        {
            return Error.NotFound("The account");
        }

        if (user.TwoFactorEnabled || user.PendingTotpSecret is null)
        {
            return Error.Conflict(user.TwoFactorEnabled ? "Two-factor authentication is already on." : "Start with POST /api/v1/auth/2fa/setup.");
        }

        if (verifier.IsLocked(user))
        {
            return SecondFactorVerifier.Locked;
        }

        var step = await verifier.VerifyTotpAsync(user, command.Code!, pending: true, cancellationToken);
        if (step is null)
        {
            return Result<RecoveryCodesResponse>.Refused(await verifier.RecordFailureAsync(user, "enable", cancellationToken));
        }

        var (codes, entities) = verifier.NewRecoveryCodes(user);
        user.EnableTwoFactor(step.Value, entities, clock.GetUtcNow());
        audit.Record(AuditEventTypes.MfaEnabled, user.Id);
        return new RecoveryCodesResponse(codes);
    }
}

/// <summary>Turns 2FA off; needs a factor (a code or a recovery code).</summary>
public sealed record DisableTwoFactorCommand(Guid UserId, string? Code, string? RecoveryCode) : ICommand<Result<Done>>;

public sealed class DisableTwoFactorValidator : AbstractValidator<DisableTwoFactorCommand>
{
    public DisableTwoFactorValidator() => this.OneFactor(c => c.Code, c => c.RecoveryCode);
}

public sealed class DisableTwoFactorHandler(IUserRepository users, SecondFactorVerifier verifier, IAuditLog audit)
    : ICommandHandler<DisableTwoFactorCommand, Result<Done>>
{
    public async ValueTask<Result<Done>> Handle(DisableTwoFactorCommand command, CancellationToken cancellationToken)
    {
        var (user, refusal) = await TwoFactorRules.LoadEnrolledAsync(users, verifier, command.UserId, cancellationToken);
        if (user is null)
        {
            return refusal!;
        }

        if (!await verifier.VerifyAnyAsync(user, command.Code, command.RecoveryCode, cancellationToken))
        {
            return Result<Done>.Refused(await verifier.RecordFailureAsync(user, "disable", cancellationToken));
        }

        user.DisableTwoFactor();
        audit.Record(AuditEventTypes.MfaDisabled, user.Id);
        return Done.Value;
    }
}

/// <summary>Ten new recovery codes for a current TOTP code; the old ones stop working.</summary>
public sealed record RegenerateRecoveryCodesCommand(Guid UserId, string? Code) : ICommand<Result<RecoveryCodesResponse>>;

public sealed class RegenerateRecoveryCodesValidator : AbstractValidator<RegenerateRecoveryCodesCommand>
{
    public RegenerateRecoveryCodesValidator() => RuleFor(c => c.Code).TotpCode();
}

public sealed class RegenerateRecoveryCodesHandler(IUserRepository users, SecondFactorVerifier verifier, IAuditLog audit)
    : ICommandHandler<RegenerateRecoveryCodesCommand, Result<RecoveryCodesResponse>>
{
    public async ValueTask<Result<RecoveryCodesResponse>> Handle(RegenerateRecoveryCodesCommand command, CancellationToken cancellationToken)
    {
        var (user, refusal) = await TwoFactorRules.LoadEnrolledAsync(users, verifier, command.UserId, cancellationToken);
        if (user is null)
        {
            return refusal!;
        }

        if (await verifier.VerifyTotpAsync(user, command.Code!, pending: false, cancellationToken) is null)
        {
            return Result<RecoveryCodesResponse>.Refused(await verifier.RecordFailureAsync(user, "recovery_codes", cancellationToken));
        }

        var (codes, entities) = verifier.NewRecoveryCodes(user);
        user.ReplaceRecoveryCodes(entities);
        audit.Record(AuditEventTypes.RecoveryCodesRegenerated, user.Id);
        return new RecoveryCodesResponse(codes);
    }
}
