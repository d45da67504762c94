using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.RevokeApiKey;

/// <summary>
/// Stops a key at once, and every key created with it, transitively (the verified-key cache
/// forgets each when the change commits).
/// </summary>
public sealed record RevokeApiKeyCommand(KeyScope Scope, Guid Id) : ICommand<Result<ApiKeyResponse>>;

public sealed class RevokeApiKeyHandler(IApiKeyRepository keys, ApiKeyLineage lineage, IMapper mapper, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand, Result<ApiKeyResponse>>
{
    public async ValueTask<Result<ApiKeyResponse>> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await keys.FindChangeableAsync(command.Scope, command.Id, cancellationToken);
        if (key.IsFailure)
        {
            return key.Error!;
        }

        var now = clock.GetUtcNow();
        key.Value.Revoke(now, command.Scope.ActorId);
        await lineage.RevokeDescendantsAsync(key.Value, now, command.Scope.ActorId, cancellationToken);
        return mapper.Map<ApiKeyResponse>(key.Value);
    }
}
