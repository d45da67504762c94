using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.Users;
using Mediator;

namespace AuthPlatform.Application.OAuth.Clients.ListClients;

/// <summary>The caller's clients, newest first; a caller holding <c>admin</c> sees everyone's. Never a secret.</summary>
public sealed record ListClientsQuery(CallerIdentity Caller) : IQuery<Result<IReadOnlyList<OAuthClientResponse>>>;

public sealed class ListClientsHandler(IOAuthClientReader reader) : IQueryHandler<ListClientsQuery, Result<IReadOnlyList<OAuthClientResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<OAuthClientResponse>>> Handle(ListClientsQuery query, CancellationToken cancellationToken)
    {
        if (query.Caller.UserId is not { } userId)
        {
            return CallerAccounts.NotAUser;
        }

        var owner = ClientAccess.IsAdministrator(query.Caller) ? (Guid?)null : userId;
        return Result<IReadOnlyList<OAuthClientResponse>>.Success(await reader.ListAsync(owner, cancellationToken));
    }
}
