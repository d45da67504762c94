using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>
/// A person who signs in. Owns its credentials' state: the password hash, the failed-login
/// counter and the lockout that follows it.
/// </summary>
public sealed class User
{
    public const int MaxEmailLength = 254;
    public const int RecoveryCodeCount = 10;

    private readonly List<RecoveryCode> _recoveryCodes = [];
    public const int MaxNameLength = 100;

    private User()
    {
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; } = string.Empty;

    /// <summary>Upper-cased invariant form of <see cref="Email"/>, unique: emails compare case-insensitively.</summary>
    public string NormalizedEmail { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public UserRole Role { get; private set; }

    public string PasswordHash { get; private set; } = string.Empty;

    /// <summary>Changes whenever the credentials change; tokens can be bound to it.</summary>
    public string SecurityStamp { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public int FailedLoginCount { get; private set; }

    public DateTimeOffset? FailedLoginWindowStartedAt { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public bool IsDisabled { get; private set; }

    public bool TwoFactorEnabled { get; private set; }

    public DateTimeOffset? TwoFactorEnabledAt { get; private set; }

    /// <summary>The TOTP secret in use, encrypted by the caller's protector; never shown again after enrolment.</summary>
    public string? TotpSecret { get; private set; }

    /// <summary>A secret being enrolled: it becomes <see cref="TotpSecret"/> once a code proves the app has it.</summary>
    public string? PendingTotpSecret { get; private set; }

    /// <summary>The last TOTP time step accepted: that step and earlier ones are refused (replay).</summary>
    public long? LastTotpStep { get; private set; }

    public IReadOnlyCollection<RecoveryCode> RecoveryCodes => _recoveryCodes;

    public int RecoveryCodesLeft => _recoveryCodes.Count(c => c.UsedAt is null);

    public static User Register(Guid id, string email, string name, string passwordHash, DateTimeOffset now) =>
        Create(id, email, name, passwordHash, UserRole.User, now);

    /// <summary>Only the start-up bootstrap creates administrators; registering never does.</summary>
    public static User CreateAdministrator(Guid id, string email, string name, string passwordHash, DateTimeOffset now) =>
        Create(id, email, name, passwordHash, UserRole.Admin, now);

    private static User Create(Guid id, string email, string name, string passwordHash, UserRole role, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("A user needs an id.");
        }

        Guard.Utc(now, nameof(now));
        email = Guard.NotBlank(email, nameof(email), MaxEmailLength).Trim();
        var user = new User
        {
            Id = id,
            Email = email,
            NormalizedEmail = NormalizeEmail(email),
            Name = Guard.NotBlank(name, nameof(name), MaxNameLength).Trim(),
            Role = role,
            PasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1024),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
        };
        return user;
    }

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>
    /// Counts a failed login. Returns true when this failure locks the account.
    /// Failures older than the policy's window no longer count.
    /// </summary>
    public bool RecordFailedLogin(DateTimeOffset now, LockoutPolicy policy)
    {
        if (FailedLoginWindowStartedAt is not { } start || now - start >= policy.Window)
        {
            FailedLoginWindowStartedAt = now;
            FailedLoginCount = 0;
        }

        FailedLoginCount++;
        if (FailedLoginCount < policy.MaxFailedAttempts)
        {
            return false;
        }

        LockedUntil = now + policy.LockoutDuration;
        FailedLoginCount = 0;
        FailedLoginWindowStartedAt = null;
        return true;
    }

    public void RecordSuccessfulLogin()
    {
        FailedLoginCount = 0;
        FailedLoginWindowStartedAt = null;
        LockedUntil = null;
    }

    /// <summary>Replaces the stored hash with a stronger one of the same password (rehash on login).</summary>
    public void UpgradePasswordHash(string passwordHash) =>
        PasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1024);

    public void ChangePassword(string passwordHash)
    {
        PasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1024);
        SecurityStamp = Guid.NewGuid().ToString("N");
    }

    public void Disable() => IsDisabled = true;

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
        ReplaceRecoveryCodes(recoveryCodes);
    }

    public void DisableTwoFactor()
    {
        TwoFactorEnabled = false;
        TwoFactorEnabledAt = null;
        TotpSecret = null;
        PendingTotpSecret = null;
        LastTotpStep = null;
        _recoveryCodes.Clear();
    }

    /// <summary>New recovery codes; the old ones stop working.</summary>
    public void ReplaceRecoveryCodes(IReadOnlyCollection<RecoveryCode> recoveryCodes)
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

/// <summary>
/// A single-use recovery code. Its <see cref="Locator"/> (the first group, not secret) picks the
/// row; only a slow hash of the secret part is stored.
/// </summary>
public sealed class RecoveryCode
{
    private RecoveryCode()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Locator { get; private set; } = string.Empty;

    public string CodeHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public static RecoveryCode Create(Guid id, Guid userId, string locator, string codeHash, DateTimeOffset now) => new()
    {
        Id = id,
        UserId = userId,
        Locator = Guard.NotBlank(locator, nameof(locator), 16),
        CodeHash = Guard.NotBlank(codeHash, nameof(codeHash), 1024),
        CreatedAt = now,
    };
}
