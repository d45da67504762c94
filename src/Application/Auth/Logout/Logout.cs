using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Sessions;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.Logout;

/// <summary>
/// Ends the session a refresh token belongs to (the whole family). Idempotent: an unknown or
/// already revoked token answers the same, so the call is no oracle for tokens.
/// </summary>
public sealed record LogoutCommand(string RefreshToken) : ICommand<Result>;

public sealed class LogoutValidator : AbstractValidator<LogoutCommand>
{
    public LogoutValidator()
    {
        RuleFor(c => c.RefreshToken).NotEmpty().WithMessage("A refresh token is required.")
            .MaximumLength(512).WithMessage("This is not a refresh token.");
    }
}

public sealed class LogoutHandler(IRefreshTokenFamilyRepository families, ISecretGenerator secrets, TimeProvider clock)
    : ICommandHandler<LogoutCommand, Result>
{
    public async ValueTask<Result> Handle(LogoutCommand command, CancellationToken cancellationToken)
    {
        var family = await families.FindByTokenHashAsync(secrets.Hash(command.RefreshToken), cancellationToken);
        if (family is { RevokedAt: null }
            && await families.RevokeAsync(family.Id, RevocationReasons.Logout, clock.GetUtcNow(), cancellationToken))
        {
            family.RecordRevoked(RevocationReasons.Logout);
        }

        return Result.Success();
    }
}
