using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>The user's TOTP enrolment and recovery codes.</summary>
public sealed partial class User
{
    /// <summary>Starts (or restarts) enrolment with a new protected secret. 2FA is not on yet.</summary>
    public void BeginTwoFactorSetup(string protectedSecret)
    {
        if (TwoFactorEnabled)
        {
            throw new DomainException("Two-factor authentication is already on: disable it first.");
        }

        PendingTotpSecret = Guard.NotBlank(protectedSecret, nameof(protectedSecret), 1024);
    }

    /// <summary>Turns 2FA on with the pending secret, after a code of <paramref name="verifiedStep"/> proved it.</summary>
    public void EnableTwoFactor(long verifiedStep, IReadOnlyCollection<RecoveryCode> recoveryCodes, DateTimeOffset now)
    {
        if (TwoFactorEnabled || PendingTotpSecret is null)
        {
            throw new DomainException("There is no two-factor enrolment to complete.");
        }

        EnsureValidRecoveryCodes(recoveryCodes);
        TotpSecret = PendingTotpSecret;
        PendingTotpSecret = null;
        TwoFactorEnabled = true;
        TwoFactorEnabledAt = now;
        LastTotpStep = verifiedStep;
        SetRecoveryCodes(recoveryCodes);
        Raise(new TwoFactorEnabled(Id));
    }

    public void DisableTwoFactor()
    {
        TwoFactorEnabled = false;
        TwoFactorEnabledAt = null;
        TotpSecret = null;
        PendingTotpSecret = null;
        LastTotpStep = null;
        _recoveryCodes.Clear();
        Raise(new TwoFactorDisabled(Id));
    }

    /// <summary>New recovery codes; the old ones stop working.</summary>
    public void ReplaceRecoveryCodes(IReadOnlyCollection<RecoveryCode> recoveryCodes)
    {
        if (!TwoFactorEnabled)
        {
            throw new DomainException("Recovery codes belong to an account with two-factor authentication on.");
        }

        SetRecoveryCodes(recoveryCodes);
        Raise(new RecoveryCodesRegenerated(Id));
    }

    /// <summary>
    /// Reports a recovery code that the user store has marked used (single use is one atomic
    /// conditional update there, ADR 0009).
    /// </summary>
    public void RecordRecoveryCodeUsed() => Raise(new RecoveryCodeUsed(Id, Math.Max(0, RecoveryCodesLeft - 1)));

    private void SetRecoveryCodes(IReadOnlyCollection<RecoveryCode> recoveryCodes)
    {
        EnsureValidRecoveryCodes(recoveryCodes);
        _recoveryCodes.Clear();
        _recoveryCodes.AddRange(recoveryCodes);
    }

    private void EnsureValidRecoveryCodes(IReadOnlyCollection<RecoveryCode> recoveryCodes)
    {
        if (recoveryCodes.Count != RecoveryCodeCount || recoveryCodes.Any(c => c.UserId != Id))
        {
            throw new DomainException($"A user has exactly {RecoveryCodeCount} recovery codes of their own.");
        }
    }
}
