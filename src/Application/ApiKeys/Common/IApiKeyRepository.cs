using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>The <see cref="ApiKey"/> aggregate's repository.</summary>
public interface IApiKeyRepository
{
    Task<ApiKey?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The hashes of the owner's unrevoked keys (to evict them from the verified-key cache).</summary>
    Task<IReadOnlyList<string>> ListKeyHashesOfOwnerAsync(Guid ownerId, CancellationToken cancellationToken);

    void Add(ApiKey key);

    void Remove(ApiKey key);
}
