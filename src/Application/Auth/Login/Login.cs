using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.Login;

/// <summary>Signs a user in with email and password and starts a session.</summary>
public sealed record LoginCommand(string Email, string Password) : ICommand<Result<LoginResponse>>, ISavesWithoutAmbientTransaction;

/// <summary>
/// A completed login carries a session; with 2FA on, the password step answers a challenge
/// instead: a short-lived <c>mfa_token</c> for <c>POST /login/2fa</c>, and no usable token (MFA-05).
/// </summary>
public sealed record LoginResponse(SessionResponse? Session, MfaChallenge? Challenge);

public sealed record MfaChallenge(bool MfaRequired, string MfaToken, int ExpiresIn);

public sealed class LoginValidator : AbstractValidator<LoginCommand>
{
    public LoginValidator()
    {
        RuleFor(c => c.Email).NotEmpty().WithMessage("An email address is required.")
            .MaximumLength(User.MaxEmailLength).WithMessage($"The email address must be at most {User.MaxEmailLength} characters long.")
            // No account can hold one (registration refuses them), and PostgreSQL cannot even compare a NUL.
            .Must(e => e is null || !e.Any(char.IsControl)).WithMessage("This is not a valid email address.");
        RuleFor(c => c.Password).PresentedPassword();
    }
}

public sealed class LoginHandler(
    PasswordSignIn passwordSignIn,
    SessionIssuer sessions,
    IMfaTokens mfaTokens) : ICommandHandler<LoginCommand, Result<LoginResponse>>
{
    public async ValueTask<Result<LoginResponse>> Handle(LoginCommand command, CancellationToken cancellationToken)
    {
        var verified = await passwordSignIn.VerifyAsync(command.Email, command.Password, cancellationToken);
        if (verified.IsFailure)
        {
            return verified.WithoutValue();
        }

        var user = verified.Value;
        if (user.TwoFactorEnabled)
        {
            // The failure counter is reset only once the second factor is verified too, so
            // that wrong codes add up to a lockout even for someone who knows the password.
            var challenge = await mfaTokens.IssueAsync(user.Id, SecurityStamps.Fingerprint(user.SecurityStamp), cancellationToken);
            user.RecordPasswordVerified();
            return new LoginResponse(null, new MfaChallenge(true, challenge.Token, challenge.ExpiresIn));
        }

        user.RecordSuccessfulLogin(AuthenticationMethods.Password);
        var session = await sessions.StartAsync(user, AuthenticationMethods.Password, cancellationToken);
        return new LoginResponse(session, null);
    }
}
