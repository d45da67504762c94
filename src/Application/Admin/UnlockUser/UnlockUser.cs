using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Users;
using Mediator;

namespace AuthPlatform.Application.Admin.UnlockUser;

/// <summary>
/// Lifts every lockout of the account and forgets its failures, from every address (the attempt
/// budgets of its e-mail address, ADR 0012); audited with the administrator as actor.
/// </summary>
public sealed record UnlockUserCommand(Guid ActorId, Guid UserId) : ICommand<Result<AdminUserResponse>>;

public sealed class UnlockUserHandler(IUserRepository users, IAttemptThrottle attempts, AdminUserViews views)
    : ICommandHandler<UnlockUserCommand, Result<AdminUserResponse>>
{
    public async ValueTask<Result<AdminUserResponse>> Handle(UnlockUserCommand command, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(command.UserId, cancellationToken) is not { } user)
        {
            return AdminUsers.NotFound;
        }

        await attempts.ClearAsync(views.AccountKey(user.Email.Value), cancellationToken);
        user.RecordUnlocked(command.ActorId);
        return await views.DescribeAsync(user, cancellationToken);
    }
}
