using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>The <see cref="ApiKey"/> aggregate's repository.</summary>
public interface IApiKeyRepository
{
    Task<ApiKey?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    void Add(ApiKey key);

    void Remove(ApiKey key);
}
