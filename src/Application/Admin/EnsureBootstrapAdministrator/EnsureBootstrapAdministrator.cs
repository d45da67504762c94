using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Admin.EnsureBootstrapAdministrator;

/// <summary>
/// Creates the first administrator from configuration at start-up, once. An existing account
/// with that email is left as it is.
/// </summary>
public sealed record EnsureBootstrapAdministratorCommand(string Email, string Password, string Name)
    : ICommand<Result<BootstrapOutcome>>;

public enum BootstrapOutcome
{
    Created,
    AlreadyExists,
}

public sealed class EnsureBootstrapAdministratorValidator : AbstractValidator<EnsureBootstrapAdministratorCommand>
{
    public EnsureBootstrapAdministratorValidator(IPasswordPolicy passwordPolicy)
    {
        RuleFor(c => c.Email).EmailAddress();
        RuleFor(c => c.Password).NewPassword(passwordPolicy, c => (c.Email, c.Name));
        RuleFor(c => c.Name).DisplayText(User.MaxNameLength);
    }
}

public sealed class EnsureBootstrapAdministratorHandler(
    IUserRepository users,
    IPasswordHasher hasher,
    ISecretGenerator secrets,
    TimeProvider clock) : ICommandHandler<EnsureBootstrapAdministratorCommand, Result<BootstrapOutcome>>
{
    public async ValueTask<Result<BootstrapOutcome>> Handle(EnsureBootstrapAdministratorCommand command, CancellationToken cancellationToken)
    {
        if (await users.EmailExistsAsync(command.Email, cancellationToken))
        {
            return BootstrapOutcome.AlreadyExists;
        }

        var now = clock.GetUtcNow();
        var admin = User.CreateAdministrator(
            Guid.CreateVersion7(now), EmailAddress.Create(command.Email), command.Name, hasher.Hash(command.Password), secrets.NewSecret(16), now);
        users.Add(admin);
        return BootstrapOutcome.Created;
    }
}
