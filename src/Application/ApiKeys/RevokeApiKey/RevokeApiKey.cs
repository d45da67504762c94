using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.RevokeApiKey;

/// <summary>Stops a key at once (the verified-key cache forgets it when the change commits).</summary>
public sealed record RevokeApiKeyCommand(KeyScope Scope, Guid Id) : ICommand<Result<ApiKeyResponse>>;

public sealed class RevokeApiKeyHandler(IApiKeyRepository keys, IMapper mapper, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand, Result<ApiKeyResponse>>
{
    public async ValueTask<Result<ApiKeyResponse>> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await keys.FindChangeableAsync(command.Scope, command.Id, cancellationToken);
        if (key.IsFailure)
        {
            return key.Error!;
        }

        key.Value.Revoke(clock.GetUtcNow(), command.Scope.ActorId);
        return mapper.Map<ApiKeyResponse>(key.Value);
    }
}
