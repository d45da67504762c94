using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.Auth.RevokeAllSessions;

/// <summary>
/// "Sign out everywhere": every session of the caller's account is revoked, the current one
/// included, and the security stamp is rotated, so every access token stops at once (also on
/// <c>/verify</c>). Signing in again starts afresh.
/// </summary>
public sealed record RevokeAllSessionsCommand(CallerIdentity Caller) : ICommand<Result>;

public sealed class RevokeAllSessionsHandler(
    CallerAccounts callers,
    IRefreshTokenFamilyRepository families,
    ISecretGenerator secrets,
    TimeProvider clock) : ICommandHandler<RevokeAllSessionsCommand, Result>
{
    public async ValueTask<Result> Handle(RevokeAllSessionsCommand command, CancellationToken cancellationToken)
    {
        var loaded = await callers.LoadAsync(command.Caller, cancellationToken);
        if (loaded.IsFailure)
        {
            return loaded.WithoutValue();
        }

        var now = clock.GetUtcNow();
        loaded.Value.SignOutEverywhere(secrets.NewSecret(16), now);
        await families.RevokeAllForUserAsync(loaded.Value.Id, null, RevocationReasons.SignedOutEverywhere, now, cancellationToken);
        return Result.Success();
    }
}
