using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.ServiceAccounts.GetServiceAccount;

/// <summary>One service account the caller may manage, with its secrets listed without their values.</summary>
public sealed record GetServiceAccountQuery(CallerIdentity Caller, Guid Id) : IQuery<Result<ServiceAccountResponse>>;

public sealed class GetServiceAccountHandler(IServiceAccountRepository accounts, IMapper mapper)
    : IQueryHandler<GetServiceAccountQuery, Result<ServiceAccountResponse>>
{
    public async ValueTask<Result<ServiceAccountResponse>> Handle(GetServiceAccountQuery query, CancellationToken cancellationToken)
    {
        var account = await accounts.FindManageableAsync(query.Caller, query.Id, cancellationToken);
        return account.IsFailure ? account.Error! : mapper.Map<ServiceAccountResponse>(account.Value);
    }
}
