using System.Security.Cryptography;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.TwoFactor;

/// <summary>
/// Checks a TOTP code or a recovery code for a user: each is accepted once (the accepted time
/// step and the redeemed code are claimed with an atomic update), failures count towards the
/// account lockout and are audited.
/// </summary>
public sealed class SecondFactorVerifier(
    ITotp totp,
    ISecretProtector protector,
    ISecondFactorStore store,
    IPasswordHasher hasher,
    IUserRepository users,
    IAuditLog audit,
    IOptions<LockoutOptions> lockout,
    TimeProvider clock)
{
    public const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    public const int LocatorLength = 4;
    public const int SecretLength = 8;

    internal static readonly Error WrongCode = new(ErrorCodes.InvalidMfaCode, "The code is wrong, expired or already used.");
    internal static Error Locked => Error.AccountLocked;

    /// <summary>A locked account takes no codes at all: no call that checks a code is a way around the lockout.</summary>
    public bool IsLocked(User user) => user.IsLockedOut(clock.GetUtcNow());

    /// <summary>Verifies a TOTP code against the enrolled secret (or, while enrolling, the pending one).</summary>
    public async Task<long?> VerifyTotpAsync(User user, string code, bool pending, CancellationToken cancellationToken)
    {
        var protectedSecret = pending ? user.PendingTotpSecret : user.TotpSecret;
        if (protectedSecret is null)
        {
            return null;
        }

        var step = totp.Match(protector.Unprotect(protectedSecret), code, clock.GetUtcNow());
        if (step is null || (user.LastTotpStep is { } last && step <= last))
        {
            return null;
        }

        return await store.TryAdvanceTotpStepAsync(user.Id, step.Value, cancellationToken) ? step : null;
    }

    /// <summary>Redeems one of the user's recovery codes (<c>xxxx-xxxx-xxxx</c>, case and dashes ignored).</summary>
    public async Task<bool> RedeemRecoveryCodeAsync(User user, string presented, CancellationToken cancellationToken)
    {
        var normalized = new string(presented.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        var candidate = normalized.Length == LocatorLength + SecretLength
            ? user.RecoveryCodes.FirstOrDefault(c => c.UsedAt is null && c.Locator == normalized[..LocatorLength])
            : null;
        if (candidate is null)
        {
            hasher.VerifyAgainstDummy(normalized); // same cost either way
            return false;
        }

        if (hasher.Verify(candidate.CodeHash, normalized[LocatorLength..]) == PasswordCheck.Failed)
        {
            return false;
        }

        if (!await store.TryRedeemRecoveryCodeAsync(candidate.Id, clock.GetUtcNow(), cancellationToken))
        {
            return false;
        }

        audit.Record(AuditEventTypes.RecoveryCodeUsed, user.Id, $"left={user.RecoveryCodesLeft - 1}");
        return true;
    }

    /// <summary>Either factor, whichever was sent.</summary>
    public async Task<bool> VerifyAnyAsync(User user, string? code, string? recoveryCode, CancellationToken cancellationToken) =>
        code is not null
            ? await VerifyTotpAsync(user, code, pending: false, cancellationToken) is not null
            : recoveryCode is not null && await RedeemRecoveryCodeAsync(user, recoveryCode, cancellationToken);

    /// <summary>Counts a wrong code like a failed password (RL-01) and audits it; returns the error to answer.</summary>
    public async Task<Error> RecordFailureAsync(User user, string reason, CancellationToken cancellationToken)
    {
        audit.Record(AuditEventTypes.MfaFailed, user.Id, $"reason={reason}");
        if (await users.RecordFailedLoginAsync(user, lockout.Value.ToPolicy(), clock.GetUtcNow(), cancellationToken))
        {
            audit.Record(AuditEventTypes.AccountLocked, user.Id, $"until={user.LockedUntil:O}");
        }

        return WrongCode;
    }

    /// <summary>Ten new recovery codes: the clear text to show once, the entities that keep only hashes.</summary>
    public (IReadOnlyList<string> Codes, IReadOnlyList<RecoveryCode> Entities) NewRecoveryCodes(User user)
    {
        var now = clock.GetUtcNow();
        var codes = new List<string>();
        var entities = new List<RecoveryCode>();
        var locators = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < User.RecoveryCodeCount)
        {
            var locator = RandomNumberGenerator.GetString(RecoveryAlphabet, LocatorLength);
            if (!locators.Add(locator))
            {
                continue;
            }

            var secret = RandomNumberGenerator.GetString(RecoveryAlphabet, SecretLength);
            codes.Add($"{locator}-{secret[..4]}-{secret[4..]}");
            entities.Add(RecoveryCode.Create(Guid.CreateVersion7(now), user.Id, locator, hasher.Hash(secret), now));
        }

        return (codes, entities);
    }
}
