using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.Admin.DisableUser;

/// <summary>
/// Disables an account: it can no longer sign in or refresh; every session is revoked; the new
/// security stamp ends its access tokens and <c>mfa_token</c>s at once; its API keys are refused
/// from the commit on (their cached copies are evicted, and a key is checked against its owner's
/// state when it is read). An administrator cannot disable their own account.
/// </summary>
public sealed record DisableUserCommand(Guid ActorId, Guid UserId) : ICommand<Result<AdminUserResponse>>;

public sealed class DisableUserHandler(
    IUserRepository users,
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    AdminUserViews views,
    TimeProvider clock) : ICommandHandler<DisableUserCommand, Result<AdminUserResponse>>
{
    public static readonly Error CannotDisableSelf = new(ErrorCodes.Forbidden, "Administrators cannot disable their own account.");

    public async ValueTask<Result<AdminUserResponse>> Handle(DisableUserCommand command, CancellationToken cancellationToken)
    {
        if (command.ActorId == command.UserId)
        {
            return CannotDisableSelf;
        }

        if (await users.FindByIdAsync(command.UserId, cancellationToken) is not { } user)
        {
            return AdminUsers.NotFound;
        }

        var now = clock.GetUtcNow();
        user.Disable(command.ActorId, secrets.NewSecret(16), now);
        await families.RevokeAllForUserAsync(user.Id, null, RevocationReasons.AccountDisabled, now, cancellationToken);
        return await views.DescribeAsync(user, cancellationToken);
    }
}
