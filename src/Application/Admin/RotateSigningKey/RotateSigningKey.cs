using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Signing;
using Mediator;

namespace AuthPlatform.Application.Admin.RotateSigningKey;

/// <summary>
/// Starts a signing-key rotation: the new key is published at once and signs after the
/// activation delay; the old one stays published until the last token it signed expires.
/// </summary>
public sealed record RotateSigningKeyCommand(Guid ActorId) : ICommand<Result<RotateSigningKeyResponse>>;

public sealed record RotateSigningKeyResponse(string Kid);

public sealed class RotateSigningKeyHandler(ISigningKeyManager keys, IDomainEvents domainEvents)
    : ICommandHandler<RotateSigningKeyCommand, Result<RotateSigningKeyResponse>>
{
    public async ValueTask<Result<RotateSigningKeyResponse>> Handle(RotateSigningKeyCommand command, CancellationToken cancellationToken)
    {
        var kid = await keys.RotateAsync(cancellationToken);
        domainEvents.Raise(new SigningKeyRotated(kid, command.ActorId));
        return new RotateSigningKeyResponse(kid);
    }
}
