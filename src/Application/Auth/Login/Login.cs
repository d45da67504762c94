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
    IUserRepository users,
    IPasswordHasher hasher,
    SignInAttempts attempts,
    SessionIssuer sessions,
    IMfaTokens mfaTokens,
    IDomainEvents domainEvents) : ICommandHandler<LoginCommand, Result<LoginResponse>>
{
    private static readonly Error InvalidCredentials = new(ErrorCodes.InvalidCredentials, "The email address or password is incorrect.");

    public async ValueTask<Result<LoginResponse>> Handle(LoginCommand command, CancellationToken cancellationToken)
    {
        // An unknown address takes the same steps as a known one, to the same answers, in the
        // same time: the attempt is claimed on the address's budget either way (ADR 0012).
        var user = await users.FindByEmailAsync(command.Email, cancellationToken);
        var claim = await attempts.ClaimAsync(command.Email, user?.Id, cancellationToken);
        if (claim.IsFailure)
        {
            RecordRefused(user, FailureReasons.Locked);
            return Result<LoginResponse>.Refused(claim.Error!);
        }

        var check = user is null ? PasswordCheck.Failed : hasher.Verify(user.PasswordHash, command.Password);
        if (user is null)
        {
            hasher.VerifyAgainstDummy(command.Password);
        }

        if (check == PasswordCheck.Failed)
        {
            var reason = user is null ? FailureReasons.UnknownAccount : FailureReasons.WrongPassword;
            return await attempts.FailAsync(
                claim.Value, user, AttemptKind.Password, reason, InvalidCredentials, cancellationToken, whenLocked: Error.AccountLocked);
        }

        await attempts.SucceedAsync(claim.Value, cancellationToken);

        if (user!.IsDisabled)
        {
            user.RecordRefusedLogin(FailureReasons.Disabled);
            return Result<LoginResponse>.Refused(InvalidCredentials);
        }

        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.UpgradePasswordHash(hasher.Hash(command.Password));
        }

        if (user.TwoFactorEnabled)
        {
            // The failure counter is reset only once the second factor is verified too, so
            // that wrong codes add up to a lockout even for someone who knows the password.
            var challenge = await mfaTokens.IssueAsync(user.Id, cancellationToken);
            user.RecordPasswordVerified();
            return new LoginResponse(null, new MfaChallenge(true, challenge.Token, challenge.ExpiresIn));
        }

        user.RecordSuccessfulLogin(AuthenticationMethods.Password);
        var session = await sessions.StartAsync(user, AuthenticationMethods.Password, cancellationToken);
        return new LoginResponse(session, null);
    }

    private void RecordRefused(User? user, string reason)
    {
        if (user is null)
        {
            domainEvents.Raise(new LoginFailed(null, reason));
        }
        else
        {
            user.RecordRefusedLogin(reason);
        }
    }
}
