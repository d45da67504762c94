using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Admin.ChangeUserRole;

/// <summary>
/// Gives a user the role <c>admin</c> or <c>user</c>, audited as <c>account.role_changed</c> with
/// the administrator as actor. The new security stamp ends the user's access tokens at once; a
/// refresh grants the session's scopes that the new role allows (a demoted administrator loses
/// <c>admin</c>, a promoted user gets it at the next login); the user's API keys are evicted from
/// the verified-key cache and are capped by the owner's role whenever they are read, so a key
/// created by an administrator loses <c>admin</c> with its owner. An administrator cannot change
/// their own role (so the last one cannot demote themselves). The same role again changes nothing.
/// </summary>
public sealed record ChangeUserRoleCommand(Guid ActorId, Guid UserId, string? Role) : ICommand<Result<AdminUserResponse>>;

public sealed class ChangeUserRoleValidator : AbstractValidator<ChangeUserRoleCommand>
{
    public ChangeUserRoleValidator() =>
        RuleFor(c => c.Role).Must(r => UserResponse.ParseRole(r) is not null).WithMessage("The role is admin or user.");
}

public sealed class ChangeUserRoleHandler(IUserRepository users, ISecretGenerator secrets, AdminUserViews views, TimeProvider clock)
    : ICommandHandler<ChangeUserRoleCommand, Result<AdminUserResponse>>
{
    public static readonly Error CannotChangeOwnRole = new(ErrorCodes.Forbidden, "Administrators cannot change their own role.");

    public async ValueTask<Result<AdminUserResponse>> Handle(ChangeUserRoleCommand command, CancellationToken cancellationToken)
    {
        if (command.ActorId == command.UserId)
        {
            return CannotChangeOwnRole;
        }

        if (await users.FindByIdAsync(command.UserId, cancellationToken) is not { } user)
        {
            return AdminUsers.NotFound;
        }

        var role = UserResponse.ParseRole(command.Role) ?? throw new InvalidOperationException("The validator lets only known roles through.");
        user.ChangeRole(role, command.ActorId, secrets.NewSecret(16), clock.GetUtcNow());
        return await views.DescribeAsync(user, cancellationToken);
    }
}
