using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.DeleteServiceAccount;

/// <summary>
/// Deletes a service account: its secrets at once, its API keys (each evicted from the
/// verified-key cache after the commit), and its access tokens stop at once on this instance
/// (<see cref="ForgetDeletedServiceAccount"/>). It holds no refresh tokens (client credentials
/// issue none).
/// </summary>
public sealed record DeleteServiceAccountCommand(CallerIdentity Caller, Guid Id) : ICommand<Result>;

public sealed class DeleteServiceAccountHandler(IServiceAccountRepository accounts, IApiKeyRepository keys, TimeProvider clock)
    : ICommandHandler<DeleteServiceAccountCommand, Result>
{
    public async ValueTask<Result> Handle(DeleteServiceAccountCommand command, CancellationToken cancellationToken)
    {
        var account = await accounts.FindManageableAsync(command.Caller, command.Id, cancellationToken);
        if (account.IsFailure)
        {
            return account.Error!;
        }

        var actorId = command.Caller.UserId!.Value;
        foreach (var key in await accounts.ListApiKeysAsync(account.Value.Id, cancellationToken))
        {
            key.Delete(actorId);
            keys.Remove(key);
        }

        account.Value.Delete(actorId, clock.GetUtcNow());
        return Result.Success();
    }
}
