using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Signing;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Application.Signing.EnsureSigningKey;

/// <summary>
/// At start-up: makes sure a key can sign. When no key can sign and none is waiting to
/// (<see cref="SigningKeyRotation.NeedsFirstKey"/>), creates one that signs at once. Either way
/// the key ring loads once the command commits.
/// It runs with no ambient transaction, its one key saved by one SaveChanges: at first start,
/// protecting the private key makes Data Protection create and store its own key ring through
/// another connection, which a transaction holding SQLite's write lock would block.
/// </summary>
public sealed record EnsureSigningKeyCommand : ICommand<Result<EnsureSigningKeyResponse>>, ISavesWithoutAmbientTransaction;

/// <summary><paramref name="CreatedKid"/> is the <c>kid</c> of the key this command created, or null when one was there.</summary>
public sealed record EnsureSigningKeyResponse(string? CreatedKid)
{
    public bool Created => CreatedKid is not null;
}

public sealed class EnsureSigningKeyHandler(
    ISigningKeyRepository keys,
    ISigningKeyMaterialFactory material,
    ISigningKeyRing ring,
    IAfterCommit afterCommit,
    IOptions<JwtOptions> options,
    TimeProvider clock) : ICommandHandler<EnsureSigningKeyCommand, Result<EnsureSigningKeyResponse>>
{
    public async ValueTask<Result<EnsureSigningKeyResponse>> Handle(EnsureSigningKeyCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        string? created = null;
        if (SigningKeyRotation.NeedsFirstKey(await keys.ListAsync(cancellationToken), now))
        {
            var key = material.Generate(options.Value.SigningAlgorithm).ToKey(now, now);
            keys.Add(key);
            created = key.KeyId;
        }

        afterCommit.Enqueue(ring.ReloadAsync);
        return new EnsureSigningKeyResponse(created);
    }
}
