using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Sessions;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Auth.Refresh;

/// <summary>Redeems a refresh token for a new access token and a new refresh token (rotation).</summary>
public sealed record RefreshCommand(string RefreshToken) : ICommand<Result<TokenPair>>;

public sealed class RefreshValidator : AbstractValidator<RefreshCommand>
{
    public RefreshValidator()
    {
        RuleFor(c => c.RefreshToken).NotEmpty().WithMessage("A refresh token is required.")
            .MaximumLength(512).WithMessage("This is not a refresh token.");
    }
}

public sealed class RefreshHandler(
    IRefreshTokenFamilyRepository families,
    IUserRepository users,
    ISecretGenerator secrets,
    SessionIssuer sessions,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : ICommandHandler<RefreshCommand, Result<TokenPair>>
{
    internal static readonly Error Invalid = new(ErrorCodes.InvalidToken, "The refresh token is invalid, expired or revoked.");
    internal static readonly Error Reused = new(ErrorCodes.RefreshTokenReused, "This refresh token was already used. The session has been revoked; sign in again.");

    public async ValueTask<Result<TokenPair>> Handle(RefreshCommand command, CancellationToken cancellationToken)
    {
        var presentedHash = secrets.Hash(command.RefreshToken);
        var family = await families.FindByTokenHashAsync(presentedHash, cancellationToken);
        if (family is null)
        {
            return Invalid;
        }

        var user = await users.FindByIdAsync(family.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        var newToken = secrets.NewSecret();
        var newHash = secrets.Hash(newToken);
        switch (family.Rotate(presentedHash, newHash, sessions.Lifetimes, now))
        {
            case RotationOutcome.ReuseDetected:
                return await RevokeForReuseAsync(family, now, cancellationToken);
            case RotationOutcome.Expired or RotationOutcome.Revoked:
                return Invalid;
        }

        if (user is null || user.IsDisabled)
        {
            unitOfWork.DiscardChanges();
            return Invalid;
        }

        try
        {
            // The compare-and-swap: the family's version must still be the one we read.
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Another request redeemed this very token first (or revoked the family): look again.
            // The family itself judges what this presentation now is; a replay is reuse.
            unitOfWork.DiscardChanges();
            family = await families.FindByTokenHashAsync(presentedHash, cancellationToken);
            return family?.Rotate(presentedHash, newHash, sessions.Lifetimes, now) == RotationOutcome.ReuseDetected
                ? await RevokeForReuseAsync(family, now, cancellationToken)
                : Invalid;
        }

        var access = await sessions.IssueAccessTokenAsync(user, family, cancellationToken);
        return new TokenPair(access.Token, newToken, "Bearer", access.ExpiresIn, access.ExpiresAt);
    }

    /// <summary>
    /// Reuse revokes the whole family with the store's atomic revocation (ADR 0009): parallel
    /// replays and a racing refresh cannot undo it. The family raised the reuse event; it is kept.
    /// </summary>
    private async Task<Result<TokenPair>> RevokeForReuseAsync(RefreshTokenFamily family, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await families.RevokeAsync(family.Id, RevocationReasons.Reuse, now, cancellationToken);
        return Result<TokenPair>.Refused(Reused);
    }
}
