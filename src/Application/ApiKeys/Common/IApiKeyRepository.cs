using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>The <see cref="ApiKey"/> aggregate's repository.</summary>
public interface IApiKeyRepository
{
    Task<ApiKey?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The hashes of the owner's unrevoked keys (to evict them from the verified-key cache).</summary>
    Task<IReadOnlyList<string>> ListKeyHashesOfOwnerAsync(Guid ownerId, CancellationToken cancellationToken);

    /// <summary>The keys whose <see cref="ApiKey.CreatedByKeyId"/> is one of <paramref name="creatorIds"/>, revoked ones too, tracked.</summary>
    Task<IReadOnlyList<ApiKey>> ListCreatedByAsync(IReadOnlyCollection<Guid> creatorIds, CancellationToken cancellationToken);

    /// <summary>
    /// Holds the key's row until the command's transaction ends, if the key is still active at
    /// <paramref name="now"/>: one conditional update that changes no value but takes the row's
    /// write lock. A revocation or deletion of that key then waits for this transaction (and so
    /// sees a key created with it), or committed first (and the answer is false).
    /// </summary>
    Task<bool> HoldIfActiveAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken);

    void Add(ApiKey key);

    void Remove(ApiKey key);
}
