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

    void Add(User user);
}
