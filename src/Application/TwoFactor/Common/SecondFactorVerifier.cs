using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>
/// Checks a TOTP code or a recovery code for a user. Each is accepted once: the store claims the
/// time step or the code with one atomic update (ADR 0009). Failures count towards the lockout.
/// </summary>
public sealed class SecondFactorVerifier(
    ITotp totp,
    ISecretProtector protector,
    ISecondFactorStore store,
    IPasswordHasher hasher,
    FailedAttempts failedAttempts,
    TimeProvider clock)
{
    internal static readonly Error WrongCode = new(ErrorCodes.InvalidMfaCode, "The code is wrong, expired or already used.");

    public static Error Locked => Error.AccountLocked;

    /// <summary>A locked account takes no codes at all: no call that checks a code is a way around the lockout.</summary>
    public bool IsLocked(User user) => user.IsLockedOut(clock.GetUtcNow());

    /// <summary>Verifies a TOTP code against the enrolled secret (or, while enrolling, the pending one) and claims its step.</summary>
    public async Task<long?> VerifyTotpAsync(User user, string code, bool pending, CancellationToken cancellationToken)
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
    public async Task<bool> RedeemRecoveryCodeAsync(User user, string presented, CancellationToken cancellationToken)
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

    /// <summary>Either factor, whichever was sent.</summary>
    public async Task<bool> VerifyAnyAsync(User user, string? code, string? recoveryCode, CancellationToken cancellationToken) =>
        code is not null
            ? await VerifyTotpAsync(user, code, pending: false, cancellationToken) is not null
            : recoveryCode is not null && await RedeemRecoveryCodeAsync(user, recoveryCode, cancellationToken);

    /// <summary>Counts a wrong code like a failed password (RL-01); answers <c>invalid_mfa_code</c>, keeping the count.</summary>
    public Task<Result> RecordFailureAsync(User user, string reason, CancellationToken cancellationToken) =>
        failedAttempts.RecordAsync(user, AttemptKind.SecondFactor, reason, WrongCode, cancellationToken);
}
