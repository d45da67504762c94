using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Audit;
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
    IAuditLog audit,
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
        var outcome = family.Rotate(presentedHash, secrets.Hash(newToken), sessions.Lifetimes, now);
        switch (outcome)
        {
            case RotationOutcome.ReuseDetected:
                return await SaveRevocationAsync(family, presentedHash, now, cancellationToken);
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
            // Another request redeemed this very token first: that makes this one a replay.
            return await SaveRevocationAsync(null, presentedHash, now, cancellationToken);
        }

        var access = await sessions.IssueAccessTokenAsync(user, family, cancellationToken);
        audit.Record(AuditEventTypes.TokenRefreshed, family.UserId, $"session={family.Id}");
        return new TokenPair(access.Token, newToken, "Bearer", access.ExpiresIn, access.ExpiresAt);
    }

    /// <summary>
    /// Saves the revocation of a family whose token was replayed. Other replays may be revoking
    /// it at the same moment; revocation is idempotent, so on a conflict reload and retry.
    /// </summary>
    private async Task<Result<TokenPair>> SaveRevocationAsync(
        RefreshTokenFamily? family, string presentedHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (family is null)
            {
                unitOfWork.DiscardChanges();
                family = await families.FindByTokenHashAsync(presentedHash, cancellationToken);
                if (family is null)
                {
                    return Invalid;
                }

                family.Revoke(RevocationReasons.Reuse, now);
            }

            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
                return ReuseDetected(family);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxRevokeAttempts)
            {
                family = null; // someone else changed the family in between: look again
            }
        }
    }

    private const int MaxRevokeAttempts = 5;

    private Result<TokenPair> ReuseDetected(RefreshTokenFamily family)
    {
        audit.Record(AuditEventTypes.RefreshTokenReused, family.UserId, $"session={family.Id}");
        return Result<TokenPair>.Refused(Reused);
    }
}
