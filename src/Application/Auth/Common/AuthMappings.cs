using AuthPlatform.Application.Auth.GetMe;
using AuthPlatform.Application.Auth.ListSessions;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Mapster;

namespace AuthPlatform.Application.Auth.Common;

/// <summary>How users and sessions are answered.</summary>
public sealed class AuthMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<User, UserResponse>()
            .Map(response => response.Email, user => user.Email.Value)
            .Map(response => response.Role, user => UserResponse.RoleName(user.Role));
        config.NewConfig<User, SessionUser>()
            .Map(response => response.Email, user => user.Email.Value)
            .Map(response => response.Role, user => UserResponse.RoleName(user.Role));

        // The caller's credential, not the user, says how they signed in: GetMe fills Auth.
        config.NewConfig<User, MeResponse>()
            .Map(response => response.Email, user => user.Email.Value)
            .Map(response => response.Role, user => UserResponse.RoleName(user.Role))
            .Ignore(response => response.Auth);

        // Whether a session is the caller's own is known to the query only: ListSessions fills Current.
        config.NewConfig<RefreshTokenFamily, SessionSummary>()
            .Map(summary => summary.Ip, family => family.IpAddress)
            .Map(summary => summary.ExpiresAt, family => family.CurrentTokenExpiresAt)
            .Ignore(summary => summary.Current);
    }
}
