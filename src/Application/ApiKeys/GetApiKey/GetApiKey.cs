using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.GetApiKey;

/// <summary>One key the caller may see, without its secret.</summary>
public sealed record GetApiKeyQuery(KeyScope Scope, Guid Id) : IQuery<Result<ApiKeyResponse>>;

public sealed class GetApiKeyHandler(IApiKeyRepository keys, IMapper mapper) : IQueryHandler<GetApiKeyQuery, Result<ApiKeyResponse>>
{
    public async ValueTask<Result<ApiKeyResponse>> Handle(GetApiKeyQuery query, CancellationToken cancellationToken)
    {
        var key = await keys.FindByIdAsync(query.Id, cancellationToken);
        return key is not null && query.Scope.Covers(key) ? mapper.Map<ApiKeyResponse>(key) : ApiKeyAccess.NotFound;
    }
}
