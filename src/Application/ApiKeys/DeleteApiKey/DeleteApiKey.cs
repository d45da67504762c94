using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.DeleteApiKey;

/// <summary>
/// Deletes a key; it stops at once, and every key created with it, transitively, is revoked (not
/// deleted: the owner still sees them, and why they stopped). The audit trail keeps that it existed.
/// </summary>
public sealed record DeleteApiKeyCommand(KeyScope Scope, Guid Id) : ICommand<Result>;

public sealed class DeleteApiKeyHandler(IApiKeyRepository keys, ApiKeyLineage lineage, TimeProvider clock) : ICommandHandler<DeleteApiKeyCommand, Result>
{
    public async ValueTask<Result> Handle(DeleteApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await keys.FindChangeableAsync(command.Scope, command.Id, cancellationToken);
        if (key.IsFailure)
        {
            return key.Error!;
        }

        key.Value.Delete(command.Scope.ActorId);
        keys.Remove(key.Value);
        await lineage.RevokeDescendantsAsync(key.Value, clock.GetUtcNow(), command.Scope.ActorId, cancellationToken);
        return Result.Success();
    }
}
