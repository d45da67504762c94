using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using Mediator;

namespace AuthPlatform.Application.Auth.Sessions;

/// <summary>Ends one of the caller's sessions. Another user's session is answered as not found.</summary>
public sealed record RevokeSessionCommand(Guid UserId, Guid SessionId) : ICommand<Result<Done>>;

public sealed class RevokeSessionHandler(IRefreshTokenFamilyRepository families, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<RevokeSessionCommand, Result<Done>>
{
    public async ValueTask<Result<Done>> Handle(RevokeSessionCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var family = await families.FindByIdAsync(command.SessionId, cancellationToken);
        if (family is null || family.UserId != command.UserId || !family.IsActive(now))
        {
            return Error.NotFound("The session");
        }

        await families.RevokeAsync(family.Id, RevocationReasons.RevokedByUser, now, cancellationToken);
        audit.Record(AuditEventTypes.SessionRevoked, command.UserId, $"session={family.Id}");
        return Done.Value;
    }
}
