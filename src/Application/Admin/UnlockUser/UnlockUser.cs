using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Users;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.Admin.UnlockUser;

/// <summary>Lifts a lockout and clears the failed-attempt count; audited with the administrator as actor.</summary>
public sealed record UnlockUserCommand(Guid ActorId, Guid UserId) : ICommand<Result<AdminUserResponse>>;

public sealed class UnlockUserHandler(IUserRepository users, IMapper mapper, TimeProvider clock)
    : ICommandHandler<UnlockUserCommand, Result<AdminUserResponse>>
{
    public async ValueTask<Result<AdminUserResponse>> Handle(UnlockUserCommand command, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(command.UserId, cancellationToken) is not { } user)
        {
            return AdminUsers.NotFound;
        }

        user.Unlock(command.ActorId);
        return mapper.Describe(user, clock.GetUtcNow());
    }
}
