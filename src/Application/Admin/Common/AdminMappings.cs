using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Domain.Users;
using Mapster;

namespace AuthPlatform.Application.Admin.Common;

/// <summary>How a user is answered to administrators. Whether a lockout holds is kept apart (the attempt budgets): <see cref="AdminUserViews"/> fills it.</summary>
public sealed class AdminMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<User, AdminUserResponse>()
            .Map(response => response.Email, user => user.Email.Value)
            .Map(response => response.Role, user => UserResponse.RoleName(user.Role))
            .Map(response => response.Disabled, user => user.IsDisabled)
            .Ignore(response => response.Locked)
            .Ignore(response => response.LockedUntil);
}
