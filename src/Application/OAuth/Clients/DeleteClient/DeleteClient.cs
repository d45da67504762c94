using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.DeleteClient;

/// <summary>
/// Deletes a client: its secrets stop at once, and its unredeemed authorization codes and its
/// users' consents are deleted with it (one cascade in the database); the refresh-token families
/// issued to it are revoked in the same transaction, and once it commits its access tokens are
/// refused (<see cref="ForgetDeletedOAuthClient"/>). The audit trail keeps that it existed.
/// </summary>
public sealed record DeleteClientCommand(CallerIdentity Caller, Guid Id) : ICommand<Result>;

public sealed class DeleteClientHandler(IOAuthClientRepository clients, IRefreshTokenFamilyRepository families, TimeProvider clock)
    : ICommandHandler<DeleteClientCommand, Result>
{
    public async ValueTask<Result> Handle(DeleteClientCommand command, CancellationToken cancellationToken)
    {
        var client = await clients.FindChangeableAsync(command.Caller, command.Id, cancellationToken);
        if (client.IsFailure)
        {
            return client.Error!;
        }

        client.Value.Delete(command.Caller.UserId!.Value);
        clients.Remove(client.Value);
        await families.RevokeAllForClientAsync(client.Value.ClientId, RevocationReasons.ClientDeleted, clock.GetUtcNow(), cancellationToken);
        return Result.Success();
    }
}
