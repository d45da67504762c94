using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.Auth.GetMe;

/// <summary>The caller's profile and how they authenticated.</summary>
public sealed record GetMeQuery(CallerIdentity Caller) : IQuery<Result<MeResponse>>;

public sealed record MeAuth(string Method, IReadOnlyList<string> Scopes, string? ClientId, Guid? ApiKeyId);

public sealed record MeResponse(
    Guid Id, string Email, string Name, string Role, bool TwoFactorEnabled, DateTimeOffset CreatedAt, MeAuth Auth);

public sealed class GetMeHandler(CallerAccounts callers, IMapper mapper) : IQueryHandler<GetMeQuery, Result<MeResponse>>
{
    public async ValueTask<Result<MeResponse>> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var caller = query.Caller;
        var user = await callers.LoadAsync(caller, cancellationToken);
        if (user.IsFailure)
        {
            return CallerAccounts.AccountNotFound;
        }

        return mapper.Map<MeResponse>(user.Value) with { Auth = new MeAuth(caller.Method, caller.Scopes, caller.ClientId, caller.ApiKeyId) };
    }
}
