using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Users;
using Mediator;

namespace AuthPlatform.Application.Admin.EnableUser;

/// <summary>
/// Enables a disabled account: the user can sign in again and their unrevoked API keys work again.
/// Sessions and tokens that disabling ended stay ended.
/// </summary>
public sealed record EnableUserCommand(Guid ActorId, Guid UserId) : ICommand<Result<AdminUserResponse>>;

public sealed class EnableUserHandler(IUserRepository users, AdminUserViews views)
    : ICommandHandler<EnableUserCommand, Result<AdminUserResponse>>
{
    public async ValueTask<Result<AdminUserResponse>> Handle(EnableUserCommand command, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(command.UserId, cancellationToken) is not { } user)
        {
            return AdminUsers.NotFound;
        }

        user.Enable(command.ActorId);
        return await views.DescribeAsync(user, cancellationToken);
    }
}
