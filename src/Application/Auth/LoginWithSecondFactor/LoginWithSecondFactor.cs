using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.LoginWithSecondFactor;

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
    SessionIssuer sessions) : ICommandHandler<LoginWithSecondFactorCommand, Result<SessionResponse>>
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

        var check = await verifier.CheckAnyAsync(user, command.Code, command.RecoveryCode, "login", cancellationToken);
        if (check.IsFailure)
        {
            return check;
        }

        user.RecordSuccessfulLogin(AuthenticationMethods.PasswordAndOtp, withRecoveryCode: command.Code is null);
        return await sessions.StartAsync(user, AuthenticationMethods.PasswordAndOtp, cancellationToken);
    }
}
