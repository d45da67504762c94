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
    : ICommand<Result<BootstrapOutcome>>, INewAccount;

public enum BootstrapOutcome
{
    Created,
    AlreadyExists,
}

public sealed class EnsureBootstrapAdministratorValidator : AbstractValidator<EnsureBootstrapAdministratorCommand>
{
    public EnsureBootstrapAdministratorValidator(IPasswordPolicy passwordPolicy) => NewAccounts.Rules(this, passwordPolicy);
}

public sealed class EnsureBootstrapAdministratorHandler(NewAccounts accounts)
    : ICommandHandler<EnsureBootstrapAdministratorCommand, Result<BootstrapOutcome>>
{
    public async ValueTask<Result<BootstrapOutcome>> Handle(EnsureBootstrapAdministratorCommand command, CancellationToken cancellationToken)
    {
        if (await accounts.ExistsAsync(command, cancellationToken))
        {
            return BootstrapOutcome.AlreadyExists;
        }

        accounts.Add(command, UserRole.Admin);
        return BootstrapOutcome.Created;
    }
}
