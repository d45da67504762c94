using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Common;
using Mediator;

namespace AuthPlatform.Application.OAuth.ListUserGrants;

/// <summary>
/// <c>GET /api/v1/auth/grants</c>: the apps the caller authorised. Each active consent
/// (<see cref="Domain.OAuth.UserGrant"/>), and each app that holds a live refresh-token family of
/// the caller without one (a client registered with <c>require_consent: false</c>), with the scopes
/// its families hold. Newest first.
/// </summary>
public sealed record ListUserGrantsQuery(Guid UserId) : IQuery<Result<IReadOnlyList<UserGrantResponse>>>;

/// <summary><see cref="GrantedAt"/>: when the user last consented (or, without a consent, when the app's first live session began).</summary>
public sealed record UserGrantResponse(string ClientId, string ClientName, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

public sealed class ListUserGrantsHandler(
    IUserGrantRepository grants,
    IRefreshTokenFamilyRepository families,
    IOAuthClientReader clients,
    TimeProvider clock) : IQueryHandler<ListUserGrantsQuery, Result<IReadOnlyList<UserGrantResponse>>>
{
    public async ValueTask<Result<IReadOnlyList<UserGrantResponse>>> Handle(ListUserGrantsQuery query, CancellationToken cancellationToken)
    {
        var consents = await grants.ListActiveOfUserAsync(query.UserId, cancellationToken);
        var sessions = (await families.ListActiveForUserAsync(query.UserId, clock.GetUtcNow(), cancellationToken))
            .Where(f => f.ClientId is not null && !consents.Any(g => g.ClientId == f.ClientId))
            .GroupBy(f => f.ClientId!, StringComparer.Ordinal)
            .Select(g => (ClientId: g.Key, Scopes: g.SelectMany(f => f.Scopes).Distinct(StringComparer.Ordinal).ToList(), At: g.Min(f => f.CreatedAt)));
        var rows = consents.Select(g => (g.ClientId, Scopes: g.Scopes.ToList(), At: g.UpdatedAt)).Concat(sessions).ToList();

        var names = await clients.NamesAsync(rows.Select(r => r.ClientId).ToList(), cancellationToken);
        IReadOnlyList<UserGrantResponse> answer = rows
            .Where(r => names.ContainsKey(r.ClientId)) // a deleted client's rows are gone with it
            .OrderByDescending(r => r.At)
            .Select(r => new UserGrantResponse(r.ClientId, names[r.ClientId], r.Scopes, r.At))
            .ToList();
        return Result<IReadOnlyList<UserGrantResponse>>.Success(answer);
    }
}
