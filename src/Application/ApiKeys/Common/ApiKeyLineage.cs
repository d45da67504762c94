using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>
/// The keys created with a key (<see cref="ApiKey.CreatedByKeyId"/>), and theirs. Revoking,
/// rotating or deleting a key revokes all of them in the same transaction, one generation at a
/// time, through <see cref="ApiKey.RevokeWithCreator"/>: each raises <see cref="ApiKeyRevoked"/>,
/// so each gets its audit row and leaves this instance's verified-key cache after the commit.
/// </summary>
public sealed class ApiKeyLineage(IApiKeyRepository keys, IUnitOfWork unitOfWork)
{
    /// <summary>Deeper than this, a chain of creators is a bug (a key cannot be created before its creator).</summary>
    public const int MaxGenerations = 1_000;

    /// <summary>Revokes every key <paramref name="key"/> created, transitively; <paramref name="key"/> itself was revoked, rotated or removed already.</summary>
    public async Task RevokeDescendantsAsync(ApiKey key, DateTimeOffset now, Guid actorId, CancellationToken cancellationToken)
    {
        var seen = new HashSet<Guid> { key.Id };
        IReadOnlyCollection<Guid> generation = [key.Id];
        for (var depth = 0; generation.Count > 0; depth++)
        {
            if (depth == MaxGenerations)
            {
                throw new InvalidOperationException($"Key {key.Id} has more than {MaxGenerations} generations of keys created with it.");
            }

            // Save first: the rows just revoked or deleted stay locked until the commit, so a key
            // being created with one of them meanwhile has committed before this read (and is
            // found) or will find its creator revoked (HoldIfActiveAsync) and not be created.
            await unitOfWork.SaveChangesAsync(cancellationToken);
            var next = new List<Guid>();
            foreach (var child in await keys.ListCreatedByAsync(generation, cancellationToken))
            {
                if (seen.Add(child.Id))
                {
                    child.RevokeWithCreator(child.CreatedByKeyId!.Value, now, actorId);
                    next.Add(child.Id);
                }
            }

            generation = next;
        }
    }

    /// <summary>True when <paramref name="key"/> is <paramref name="ancestorId"/> or was created with it, directly or through other keys.</summary>
    public async Task<bool> IsSelfOrCreatedWithAsync(ApiKey key, Guid ancestorId, CancellationToken cancellationToken)
    {
        var current = key;
        for (var depth = 0; depth <= MaxGenerations; depth++)
        {
            if (current.Id == ancestorId)
            {
                return true;
            }

            if (current.CreatedByKeyId is not { } creatorId || await keys.FindByIdAsync(creatorId, cancellationToken) is not { } creator)
            {
                return false;
            }

            current = creator;
        }

        throw new InvalidOperationException($"Key {key.Id} has more than {MaxGenerations} generations of creators.");
    }
}
