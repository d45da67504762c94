using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Users;
using FluentValidation;

namespace AuthPlatform.Application.Users;

/// <summary>What a new account is made of (registration, the bootstrap administrator).</summary>
public interface INewAccount
{
    string Email { get; }

    string Password { get; }

    string Name { get; }
}

/// <summary>The one rule set and the one way of making a new account, whoever creates it.</summary>
public sealed class NewAccounts(IUserRepository users, IPasswordHasher hasher, ISecretGenerator secrets, TimeProvider clock)
{
    /// <summary>E-mail address, password (NIST rules and the password policy) and display name.</summary>
    public static void Rules<T>(AbstractValidator<T> validator, IPasswordPolicy passwordPolicy)
        where T : INewAccount
    {
        validator.RuleFor(c => c.Email).EmailAddress();
        validator.RuleFor(c => c.Password).NewPassword(passwordPolicy, c => (c.Email, c.Name));
        validator.RuleFor(c => c.Name).DisplayText(User.MaxNameLength);
    }

    public Task<bool> ExistsAsync(INewAccount account, CancellationToken cancellationToken) =>
        users.EmailExistsAsync(account.Email, cancellationToken);

    /// <summary>Hashes the password, gives the account a fresh security stamp, and adds it (a user, or the bootstrap administrator).</summary>
    public User Add(INewAccount account, UserRole role)
    {
        var now = clock.GetUtcNow();
        var email = EmailAddress.Create(account.Email);
        var hash = hasher.Hash(account.Password);
        var user = role == UserRole.Admin
            ? User.CreateAdministrator(Guid.CreateVersion7(now), email, account.Name, hash, secrets.NewSecret(16), now)
            : User.Register(Guid.CreateVersion7(now), email, account.Name, hash, secrets.NewSecret(16), now);
        users.Add(user);
        return user;
    }
}
