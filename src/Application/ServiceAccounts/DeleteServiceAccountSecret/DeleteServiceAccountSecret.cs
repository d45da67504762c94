using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.DeleteServiceAccountSecret;

/// <summary>
/// Deletes one client secret: it authenticates nothing from the commit on. Tokens obtained with it
/// live until their expiry (delete the service account to stop them at once). Deleting the last
/// secret is allowed: the account then gets no token until a secret is added.
/// </summary>
public sealed record DeleteServiceAccountSecretCommand(CallerIdentity Caller, Guid Id, Guid SecretId) : ICommand<Result>;

public sealed class DeleteServiceAccountSecretHandler(IServiceAccountRepository accounts) : ICommandHandler<DeleteServiceAccountSecretCommand, Result>
{
    public async ValueTask<Result> Handle(DeleteServiceAccountSecretCommand command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindManageableAsync(command.Caller, command.Id, cancellationToken);
        if (account.IsFailure)
        {
            return account.Error!;
        }

        return account.Value.DeleteSecret(command.SecretId, command.Caller.UserId!.Value)
            ? Result.Success()
            : Error.NotFound("The secret");
    }
}
