using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.Auth.RevokeSession;

/// <summary>Ends one of the caller's sessions. Another user's session is answered as not found.</summary>
public sealed record RevokeSessionCommand(Guid UserId, Guid SessionId) : ICommand<Result>;

public sealed class RevokeSessionHandler(IRefreshTokenFamilyRepository families, TimeProvider clock)
    : ICommandHandler<RevokeSessionCommand, Result>
{
    public async ValueTask<Result> Handle(RevokeSessionCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var family = await families.FindByIdAsync(command.SessionId, cancellationToken);
        if (family is null || family.UserId != command.UserId || !family.IsActive(now))
        {
            return Error.NotFound("The session");
        }

        if (await families.RevokeAsync(family.Id, RevocationReasons.RevokedByUser, now, cancellationToken))
        {
            family.RecordRevoked(RevocationReasons.RevokedByUser);
        }

        return Result.Success();
    }
}
