using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.ApiKeys.ListApiKeys;

/// <summary>The caller's keys (or, for an administrator, anyone's / one user's), newest first.</summary>
public sealed record ListApiKeysQuery(Guid? OwnerId) : IQuery<Result<IReadOnlyList<ApiKeyResponse>>>;

public sealed class ListApiKeysHandler(IApiKeyReader reader) : IQueryHandler<ListApiKeysQuery, Result<IReadOnlyList<ApiKeyResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<ApiKeyResponse>>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken) =>
        Result<IReadOnlyList<ApiKeyResponse>>.Success(await reader.ListAsync(query.OwnerId, cancellationToken));
}
