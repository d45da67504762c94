using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Auth.Common;

/// <summary>A rotated family, its user as they stand now, the new refresh token (shown once) and the new access token.</summary>
public sealed record RotatedRefreshToken(RefreshTokenFamily Family, User User, string RefreshToken, IssuedAccessToken Access);

/// <summary>
/// The one implementation of refresh-token rotation (ADR 0004, 0009), for a user's own session
/// (<c>POST /api/v1/auth/refresh</c>) and for a family issued to an OAuth client
/// (<c>grant_type=refresh_token</c>). The family judges the presented token (<see cref="RefreshTokenFamily.Rotate"/>);
/// the save is the compare-and-swap on its version, so of parallel presentations of one token only one
/// commits and the others are judged again as reuse; reuse revokes the family with the store's atomic
/// revocation and is answered <see cref="Reused"/> with the revocation kept (<see cref="Result{T}.Refused"/>).
/// A family is bound to the client it was issued to: presented for another client (or at the session
/// endpoint), it is <see cref="Invalid"/> and nothing changes.
/// The commands that rotate run without an ambient transaction (<c>ISavesWithoutAmbientTransaction</c>):
/// the family and the user are read, and the new access token signed, before the writes start, so
/// the database's write lock (SQLite: the whole database, ADR 0015) is held only for the
/// compare-and-swap and its commit. A read that went stale meanwhile fails the compare-and-swap.
/// </summary>
public sealed class RefreshTokenRotation(
    IRefreshTokenFamilyRepository families,
    IUserRepository users,
    ISecretGenerator secrets,
    SessionIssuer sessions,
    IUnitOfWork unitOfWork,
    TimeProvider clock)
{
    public static readonly Error Invalid = new(ErrorCodes.InvalidToken, "The refresh token is invalid, expired or revoked.");
    public static readonly Error Reused = new(ErrorCodes.RefreshTokenReused, "This refresh token was already used. The session has been revoked; sign in again.");

    /// <summary>
    /// Rotates the family of <paramref name="presentedToken"/> if it was issued to <paramref name="clientId"/>
    /// (null: a user's own session). <paramref name="check"/> may refuse a rotation the family allows
    /// (e.g. a wider scope); its error is answered and nothing is saved.
    /// </summary>
    public async Task<Result<RotatedRefreshToken>> RotateAsync(
        string presentedToken, string? clientId, Func<RefreshTokenFamily, Error?>? check, ScopeSet? narrowedTo, CancellationToken cancellationToken)
    {
        var presentedHash = secrets.Hash(presentedToken);
        var family = await families.FindByTokenHashAsync(presentedHash, cancellationToken);
        if (family is null || !string.Equals(family.ClientId, clientId, StringComparison.Ordinal))
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

        if (check?.Invoke(family) is { } refused)
        {
            unitOfWork.DiscardChanges();
            return refused;
        }

        // Signed before the write lock is taken; if the compare-and-swap fails it is never sent.
        var access = await sessions.IssueAccessTokenAsync(user, family, narrowedTo, cancellationToken);
        try
        {
            // The compare-and-swap: the family's version must still be the one we read.
            await unitOfWork.StartWritesAsync(cancellationToken);
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Another request redeemed this very token first (or revoked the family): look again,
            // now inside the transaction. The family itself judges what this presentation now is;
            // a replay is reuse.
            unitOfWork.DiscardChanges();
            family = await families.FindByTokenHashAsync(presentedHash, cancellationToken);
            return family?.Rotate(presentedHash, newHash, sessions.Lifetimes, now) == RotationOutcome.ReuseDetected
                ? await RevokeForReuseAsync(family, now, cancellationToken)
                : Invalid;
        }

        return new RotatedRefreshToken(family, user, newToken, access);
    }

    /// <summary>
    /// Reuse revokes the whole family with the store's atomic revocation (ADR 0009): parallel
    /// replays and a racing refresh cannot undo it. The family raised the reuse event; it is kept.
    /// </summary>
    private async Task<Result<RotatedRefreshToken>> RevokeForReuseAsync(RefreshTokenFamily family, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await unitOfWork.StartWritesAsync(cancellationToken);
        await families.RevokeAsync(family.Id, RevocationReasons.Reuse, now, cancellationToken);
        return Result<RotatedRefreshToken>.Refused(Reused);
    }
}
