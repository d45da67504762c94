using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>
/// Checks a TOTP code or a recovery code for a user. An attempt is claimed before the code is
/// evaluated (ADR 0012), so a burst of guesses gets no more evaluations than the budget; each
/// code is accepted once (the store claims the time step or the code, ADR 0009); a wrong code
/// counts like a wrong password.
/// </summary>
public sealed class SecondFactorVerifier(
    ITotp totp,
    ISecretProtector protector,
    ISecondFactorStore store,
    IPasswordHasher hasher,
    SignInAttempts attempts,
    TimeProvider clock)
{
    internal static readonly Error WrongCode = new(ErrorCodes.InvalidMfaCode, "The code is wrong, expired or already used.");

    /// <summary>
    /// A TOTP code of the enrolled secret (or, while enrolling, the pending one): the accepted
    /// time step, or the refusal (locked, or a wrong code counted with <paramref name="reason"/>).
    /// </summary>
    public async Task<Result<long>> CheckTotpAsync(User user, string code, bool pending, string reason, CancellationToken cancellationToken)
    {
        var claim = await attempts.ClaimAsync(user, cancellationToken);
        if (claim.IsFailure)
        {
            return claim.Error!;
        }

        if (await MatchTotpAsync(user, code, pending, cancellationToken) is { } step)
        {
            await attempts.SucceedAsync(claim.Value, cancellationToken);
            return step;
        }

        return await attempts.FailAsync(claim.Value, user, AttemptKind.SecondFactor, reason, WrongCode, cancellationToken);
    }

    /// <summary>Either factor, whichever was sent: success, or the refusal (locked, or a wrong code counted).</summary>
    public async Task<Result> CheckAnyAsync(User user, string? code, string? recoveryCode, string reason, CancellationToken cancellationToken)
    {
        var claim = await attempts.ClaimAsync(user, cancellationToken);
        if (claim.IsFailure)
        {
            return claim.Error!;
        }

        var right = code is not null
            ? await MatchTotpAsync(user, code, pending: false, cancellationToken) is not null
            : recoveryCode is not null && await RedeemRecoveryCodeAsync(user, recoveryCode, cancellationToken);
        if (right)
        {
            await attempts.SucceedAsync(claim.Value, cancellationToken);
            return Result.Success();
        }

        return await attempts.FailAsync(claim.Value, user, AttemptKind.SecondFactor, reason, WrongCode, cancellationToken);
    }

    private async Task<long?> MatchTotpAsync(User user, string code, bool pending, CancellationToken cancellationToken)
    {
        var protectedSecret = pending ? user.PendingTotpSecret : user.TotpSecret;
        if (protectedSecret is null)
        {
            return null;
        }

        var step = totp.Match(protector.Unprotect(protectedSecret), code, clock.GetUtcNow());
        return step is { } matched && await store.TryAdvanceTotpStepAsync(user.Id, matched, cancellationToken) ? matched : null;
    }

    /// <summary>Redeems one of the user's recovery codes (<c>xxxx-xxxx-xxxx</c>, case and dashes ignored).</summary>
    private async Task<bool> RedeemRecoveryCodeAsync(User user, string presented, CancellationToken cancellationToken)
    {
        var normalized = RecoveryCodes.Normalize(presented);
        var candidate = normalized is null
            ? null
            : user.RecoveryCodes.FirstOrDefault(c => c.UsedAt is null && c.Locator == normalized[..RecoveryCodes.LocatorLength]);
        if (candidate is null)
        {
            hasher.VerifyAgainstDummy(normalized ?? presented); // same cost either way
            return false;
        }

        if (hasher.Verify(candidate.CodeHash, normalized![RecoveryCodes.LocatorLength..]) == PasswordCheck.Failed
            || !await store.TryRedeemRecoveryCodeAsync(candidate.Id, clock.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        user.RecordRecoveryCodeUsed();
        return true;
    }
}
