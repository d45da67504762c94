using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Users;

/// <summary>The <see cref="User"/> aggregate's repository.</summary>
public interface IUserRepository
{
    Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The user with this address, compared by <see cref="EmailAddress.Normalized"/> form.</summary>
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>The user with their recovery codes loaded (2FA use cases only).</summary>
    Task<User?> FindByIdWithRecoveryCodesAsync(Guid id, CancellationToken cancellationToken);

    Task<bool> EmailExistsAsync(string email, CancellationToken cancellationToken);

    /// <summary>
    /// The lockout rule (ADR 0009): counts a failed attempt with one atomic conditional update, so
    /// that parallel failures all count. Failures older than <see cref="LockoutPolicy.Window"/>
    /// no longer count; the <see cref="LockoutPolicy.MaxFailedAttempts"/>th locks the account for
    /// <see cref="LockoutPolicy.LockoutDuration"/> and starts the count again. Refreshes the
    /// user's counters and returns true for the one failure that locked the account.
    /// </summary>
    Task<bool> RecordFailedLoginAsync(User user, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    void Add(User user);
}
