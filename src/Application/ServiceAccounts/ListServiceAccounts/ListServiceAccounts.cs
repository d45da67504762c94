using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.ListServiceAccounts;

/// <summary>The caller's service accounts (every owner's for an administrator), newest first, with their secrets' ids and dates.</summary>
public sealed record ListServiceAccountsQuery(CallerIdentity Caller) : IQuery<Result<IReadOnlyList<ServiceAccountResponse>>>;

public sealed class ListServiceAccountsHandler(IServiceAccountReader reader)
    : IQueryHandler<ListServiceAccountsQuery, Result<IReadOnlyList<ServiceAccountResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<ServiceAccountResponse>>> Handle(ListServiceAccountsQuery query, CancellationToken cancellationToken)
    {
        if (query.Caller.UserId is null)
        {
            return Result<IReadOnlyList<ServiceAccountResponse>>.Success([]);
        }

        return Result<IReadOnlyList<ServiceAccountResponse>>.Success(
            await reader.ListAsync(ServiceAccountAccess.ListedOwner(query.Caller), cancellationToken));
    }
}
