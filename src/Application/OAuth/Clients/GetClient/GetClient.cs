using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Common;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.GetClient;

/// <summary>One client the caller may see (its own; any for an administrator), its secrets listed without values.</summary>
public sealed record GetClientQuery(CallerIdentity Caller, Guid Id) : IQuery<Result<OAuthClientResponse>>;

public sealed class GetClientHandler(IOAuthClientRepository clients, IMapper mapper) : IQueryHandler<GetClientQuery, Result<OAuthClientResponse>>
{
    public async ValueTask<Result<OAuthClientResponse>> Handle(GetClientQuery query, CancellationToken cancellationToken)
    {
        var client = await clients.FindVisibleAsync(query.Caller, query.Id, cancellationToken);
        return client.IsFailure ? client.Error! : mapper.Map<OAuthClientResponse>(client.Value);
    }
}
