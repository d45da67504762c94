using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using Mediator;

namespace AuthPlatform.Application.Auth.CheckSession;

/// <summary>
/// Does the caller's session still live? Asked by the HTTP layer before every account-security and
/// administrative call made with an access token (<c>[RequireSession]</c>, <c>[RequireLiveSession]</c>);
/// never on <c>/verify</c>, which stays free of database reads (ADR 0006).
/// </summary>
public sealed record CheckSessionQuery(CallerIdentity Caller) : IQuery<Result>;

public sealed class CheckSessionHandler(SessionLiveness liveness) : IQueryHandler<CheckSessionQuery, Result>
{
    public async ValueTask<Result> Handle(CheckSessionQuery query, CancellationToken cancellationToken) =>
        await liveness.RequireLiveAsync(query.Caller, cancellationToken);
}
