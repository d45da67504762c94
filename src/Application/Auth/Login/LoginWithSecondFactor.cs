using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor;
using AuthPlatform.Domain.Audit;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.Login;

/// <summary>Completes a login with 2FA: the <c>mfa_token</c> of the password step and a TOTP or recovery code.</summary>
public sealed record LoginWithSecondFactorCommand(string MfaToken, string? Code, string? RecoveryCode) : ICommand<Result<SessionResponse>>, ISavesWithoutAmbientTransaction;

public sealed class LoginWithSecondFactorValidator : AbstractValidator<LoginWithSecondFactorCommand>
{
    public LoginWithSecondFactorValidator()
    {
        RuleFor(c => c.MfaToken).NotEmpty().WithMessage("The mfa_token of the password step is required.")
            .MaximumLength(4096).WithMessage("This is not an mfa_token.");
        this.OneFactor(c => c.Code, c => c.RecoveryCode);
    }
}

public sealed class LoginWithSecondFactorHandler(
    IMfaTokens mfaTokens,
    IUserRepository users,
    SecondFactorVerifier verifier,
    SessionIssuer sessions,
    IAuditLog audit) : ICommandHandler<LoginWithSecondFactorCommand, Result<SessionResponse>>
{
    private static readonly Error ExpiredChallenge = new(ErrorCodes.InvalidToken, "The mfa_token is invalid or has expired: sign in again.");

    public async ValueTask<Result<SessionResponse>> Handle(LoginWithSecondFactorCommand command, CancellationToken cancellationToken)
    {
        var userId = await mfaTokens.ValidateAsync(command.MfaToken, cancellationToken);
        var user = userId is { } id ? await users.FindByIdWithRecoveryCodesAsync(id, cancellationToken) : null;
        if (user is null || !user.TwoFactorEnabled || user.IsDisabled)
        {
            return ExpiredChallenge;
        }

        if (verifier.IsLocked(user))
        {
            return SecondFactorVerifier.Locked;
        }

        if (!await verifier.VerifyAnyAsync(user, command.Code, command.RecoveryCode, cancellationToken))
        {
            return Result<SessionResponse>.Refused(await verifier.RecordFailureAsync(user, "login", cancellationToken));
        }

        user.RecordSuccessfulLogin();
        var session = await sessions.StartAsync(user, ["pwd", "otp"], cancellationToken);
        audit.Record(AuditEventTypes.LoginSucceeded, user.Id, command.Code is not null ? "amr=pwd+otp" : "amr=pwd+otp(recovery_code)");
        return session;
    }
}
