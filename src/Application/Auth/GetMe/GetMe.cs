using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.OAuth;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.Auth.GetMe;

/// <summary>
/// The caller's profile and how they authenticated. A service account (its client-credentials
/// token or one of its API keys) is answered as itself: its id and name, role <c>service_account</c>, no e-mail.
/// A user's token held by an app shows the e-mail address only when the app was granted <c>email</c>.
/// </summary>
public sealed record GetMeQuery(CallerIdentity Caller) : IQuery<Result<MeResponse>>;

public sealed record MeAuth(string Method, IReadOnlyList<string> Scopes, string? ClientId, Guid? ApiKeyId);

public sealed record MeResponse(
    Guid Id, string? Email, string Name, string Role, bool TwoFactorEnabled, DateTimeOffset CreatedAt, MeAuth Auth);

public sealed class GetMeHandler(CallerAccounts callers, IServiceAccountReader serviceAccounts, IMapper mapper) : IQueryHandler<GetMeQuery, Result<MeResponse>>
{
    public const string ServiceAccountRole = "service_account";

    public async ValueTask<Result<MeResponse>> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var caller = query.Caller;
        if (caller.UserId is null && caller.ClientId is { } clientId)
        {
            var account = await serviceAccounts.FindByClientIdAsync(clientId, cancellationToken);
            return account is null
                ? CallerAccounts.AccountNotFound
                : new MeResponse(account.Id, null, account.Name, ServiceAccountRole, false, account.CreatedAt,
                    new MeAuth(caller.Method, caller.Scopes, caller.ClientId, caller.ApiKeyId));
        }

        var user = await callers.LoadAsync(caller, cancellationToken);
        if (user.IsFailure)
        {
            return CallerAccounts.AccountNotFound;
        }

        var me = mapper.Map<MeResponse>(user.Value) with { Auth = new MeAuth(caller.Method, caller.Scopes, caller.ClientId, caller.ApiKeyId) };

        // An app's token shows the address only with the email scope: the API scope profile shares
        // its name with OpenID Connect's, which does not cover the e-mail address.
        return caller.ClientId is not null && !caller.Scopes.Contains(OAuthIdentityScopes.Email, StringComparer.Ordinal) ? me with { Email = null } : me;
    }
}
