using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Users;

/// <summary>
/// A person who signs in. Owns its credentials' state: the password hash, the failed-login
/// counter and the lockout that follows it.
/// </summary>
public sealed class User
{
    public const int MaxEmailLength = 254;
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
}
