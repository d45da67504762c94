using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using Mediator;

namespace AuthPlatform.Application.Auth.GetMe;

/// <summary>The caller's profile and how they authenticated.</summary>
public sealed record GetMeQuery(CallerIdentity Caller) : IQuery<Result<MeResponse>>;

public sealed record MeAuth(string Method, IReadOnlyList<string> Scopes, string? ClientId, Guid? ApiKeyId);

public sealed record MeResponse(
    Guid Id, string Email, string Name, string Role, bool TwoFactorEnabled, DateTimeOffset CreatedAt, MeAuth Auth);

public sealed class GetMeHandler(IUserRepository users) : IQueryHandler<GetMeQuery, Result<MeResponse>>
{
    public async ValueTask<Result<MeResponse>> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var caller = query.Caller;
        var user = caller.UserId is { } id ? await users.FindByIdAsync(id, cancellationToken) : null;
        if (user is null)
        {
            return Error.NotFound("The account");
        }

        return new MeResponse(
            user.Id, user.Email, user.Name, Auth.Common.UserResponse.RoleName(user.Role), user.TwoFactorEnabled, user.CreatedAt,
            new MeAuth(caller.Method, caller.Scopes, caller.ClientId, caller.ApiKeyId));
    }
}
