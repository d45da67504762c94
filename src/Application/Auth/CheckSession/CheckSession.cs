using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using Mediator;

namespace AuthPlatform.Application.Auth.CheckSession;

/// <summary>
/// Does the caller's session still live? Asked by the HTTP layer before every account-security and
/// administrative call made with an access token (<c>[RequireSession]</c>, <c>[RequireLiveSession]</c>);
/// never on <c>/verify</c>, which stays free of database reads (ADR 0006).
/// <para>
/// A user's token held by an app (<c>oauth</c>) passes only when the app is first-party, such as the
/// built-in client of the <c>authplatform</c> CLI (ADR 0019): its session is the grant's refresh-token
/// family, checked the same way. A third-party app's token is refused with <see cref="NotFirstParty"/>.
/// </para>
/// </summary>
public sealed record CheckSessionQuery(CallerIdentity Caller) : IQuery<Result>;

public sealed class CheckSessionHandler(SessionLiveness liveness, ClientAuthentication clients) : IQueryHandler<CheckSessionQuery, Result>
{
    public static readonly Error NotFirstParty = new(
        ErrorCodes.Forbidden, "This call needs a user's signed-in session or a first-party app: a third-party app's token cannot manage the account.");

    public async ValueTask<Result> Handle(CheckSessionQuery query, CancellationToken cancellationToken)
    {
        var caller = query.Caller;
        if (caller.Method == AuthMethods.OAuth
            && (caller.UserId is null || caller.ClientId is null || await clients.FindAsync(caller.ClientId, cancellationToken) is not { FirstParty: true }))
        {
            return NotFirstParty;
        }

        return await liveness.RequireLiveAsync(caller, cancellationToken);
    }
}
