using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Signing;
using AuthPlatform.Domain.Signing;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Admin.RotateSigningKey;

/// <summary>
/// Starts a signing-key rotation: the new key is published at once and signs after the
/// activation delay; the old one stays published until the last token it signed expires
/// (the rules are <see cref="SigningKeyRotation"/>'s). The key ring reloads once it commits.
/// </summary>
public sealed record RotateSigningKeyCommand(Guid ActorId) : ICommand<Result<RotateSigningKeyResponse>>;

public sealed record RotateSigningKeyResponse(string Kid);

public sealed class RotateSigningKeyHandler(
    ISigningKeyRepository keys,
    ISigningKeyMaterialFactory material,
    ISigningKeyRing ring,
    IAfterCommit afterCommit,
    IDomainEvents domainEvents,
    IOptions<JwtOptions> options,
    TimeProvider clock) : ICommandHandler<RotateSigningKeyCommand, Result<RotateSigningKeyResponse>>
{
    public async ValueTask<Result<RotateSigningKeyResponse>> Handle(RotateSigningKeyCommand command, CancellationToken cancellationToken)
    {
        var jwt = options.Value;
        var rotation = new SigningKeyRotation(jwt.KeyActivationDelay, jwt.AccessTokenLifetime, jwt.ClockSkew);
        var now = clock.GetUtcNow();
        var next = material.Generate(jwt.SigningAlgorithm).ToKey(now, rotation.ActivationOfNextKey(now));
        var existing = await keys.ListAsync(cancellationToken);
        rotation.Rotate(existing, next);
        keys.Add(next);
        afterCommit.Enqueue(ring.ReloadAsync);
        domainEvents.Raise(new SigningKeyRotated(next.KeyId, command.ActorId));
        return new RotateSigningKeyResponse(next.KeyId);
    }
}
