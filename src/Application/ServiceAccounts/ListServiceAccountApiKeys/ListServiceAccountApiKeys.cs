using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.ListServiceAccountApiKeys;

/// <summary>The API keys of one service account the caller may manage, newest first, without their values.</summary>
public sealed record ListServiceAccountApiKeysQuery(CallerIdentity Caller, Guid Id) : IQuery<Result<IReadOnlyList<ApiKeyResponse>>>;

public sealed class ListServiceAccountApiKeysHandler(IServiceAccountRepository accounts, IApiKeyReader keys)
    : IQueryHandler<ListServiceAccountApiKeysQuery, Result<IReadOnlyList<ApiKeyResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<ApiKeyResponse>>> Handle(ListServiceAccountApiKeysQuery query, CancellationToken cancellationToken)
    {
        var account = await accounts.FindManageableAsync(query.Caller, query.Id, cancellationToken);
        if (account.IsFailure)
        {
            return account.Error!;
        }

        return Result<IReadOnlyList<ApiKeyResponse>>.Success(await keys.ListForServiceAccountAsync(account.Value.Id, cancellationToken));
    }
}
