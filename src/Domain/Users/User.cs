using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>
/// A person who signs in. Owns its credentials' state: the password hash, the security stamp
/// and its second factor (<c>User.TwoFactor.cs</c>). Failed attempts are counted apart, per
/// account and client address, by the attempt throttle (ADR 0012).
/// </summary>
public sealed partial class User : AggregateRoot
{
    public const int MaxEmailLength = EmailAddress.MaxLength;
    public const int RecoveryCodeCount = 10;

    private readonly List<RecoveryCode> _recoveryCodes = [];
    public const int MaxNameLength = 100;

    private User()
    {
    }

    public Guid Id { get; private set; }

    public EmailAddress Email { get; private set; } = null!;

    /// <summary><see cref="EmailAddress.Normalized"/> of <see cref="Email"/>, unique: emails compare case-insensitively.</summary>
    public string NormalizedEmail { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public UserRole Role { get; private set; }

    public string PasswordHash { get; private set; } = string.Empty;

    /// <summary>Changes whenever the credentials change; tokens can be bound to it.</summary>
    public string SecurityStamp { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

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

    public static User Register(Guid id, EmailAddress email, string name, string passwordHash, string securityStamp, DateTimeOffset now)
    {
        var user = Create(id, email, name, passwordHash, securityStamp, UserRole.User, now);
        user.Raise(new UserRegistered(user.Id, user.Email.Value, user.Name));
        return user;
    }

    /// <summary>Only the start-up bootstrap creates administrators; registering never does.</summary>
    public static User CreateAdministrator(Guid id, EmailAddress email, string name, string passwordHash, string securityStamp, DateTimeOffset now)
    {
        var user = Create(id, email, name, passwordHash, securityStamp, UserRole.Admin, now);
        user.Raise(new AdministratorBootstrapped(user.Id, user.Email.Value));
        return user;
    }

    private static User Create(Guid id, EmailAddress email, string name, string passwordHash, string securityStamp, UserRole role, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("A user needs an id.");
        }

        ArgumentNullException.ThrowIfNull(email);
        Guard.Utc(now, nameof(now));
        return new User
        {
            Id = id,
            Email = email,
            NormalizedEmail = email.Normalized,
            Name = Guard.NotBlank(name, nameof(name), MaxNameLength).Trim(),
            Role = role,
            PasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1024),
            SecurityStamp = Guard.NotBlank(securityStamp, nameof(securityStamp), 64),
            CreatedAt = now,
        };
    }

    /// <summary>
    /// Records a failed attempt that the attempt throttle has already counted. Counting is one
    /// atomic conditional update there, so that parallel failures all count (ADR 0009, 0012);
    /// the user only reports it: <paramref name="lockedUntil"/> is set when this failure locked.
    /// </summary>
    public void RecordFailedAttempt(AttemptKind kind, string reason, DateTimeOffset? lockedUntil)
    {
        Raise(kind == AttemptKind.SecondFactor ? new SecondFactorFailed(Id, reason) : new LoginFailed(Id, reason));
        if (lockedUntil is { } until)
        {
            Raise(new AccountLocked(Id, until));
        }
    }

    /// <summary>A sign-in refused before any secret was checked (locked or disabled account): nothing is counted.</summary>
    public void RecordRefusedLogin(string reason) => Raise(new LoginFailed(Id, reason));

    /// <summary>The password step succeeded and the second factor comes next; failures still count until then.</summary>
    public void RecordPasswordVerified() => Raise(new PasswordVerified(Id));

    /// <summary>
    /// A completed sign-in. It clears no failures: a success never erases the failures that raced
    /// it (they expire with their window, ADR 0012).
    /// </summary>
    public void RecordSuccessfulLogin(IReadOnlyList<string> authenticationMethods, bool withRecoveryCode = false) =>
        Raise(new LoginSucceeded(Id, authenticationMethods, withRecoveryCode));

    /// <summary>Replaces the stored hash with a stronger one of the same password (rehash on login).</summary>
    public void UpgradePasswordHash(string passwordHash) =>
        PasswordHash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1024);

    /// <summary>A new password and a new security stamp (tokens bound to the old stamp stop).</summary>
    public void ChangePassword(string passwordHash, string newSecurityStamp)
    {
        // Both guarded before either is assigned: a refused change leaves the credentials as they were.
        var hash = Guard.NotBlank(passwordHash, nameof(passwordHash), 1024);
        var stamp = Guard.NotBlank(newSecurityStamp, nameof(newSecurityStamp), 64);
        PasswordHash = hash;
        SecurityStamp = stamp;
        Raise(new PasswordChanged(Id));
    }

    public void Disable() => IsDisabled = true;
}
