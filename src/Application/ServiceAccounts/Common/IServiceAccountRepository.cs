using AuthPlatform.Domain.ServiceAccounts;

namespace AuthPlatform.Application.ServiceAccounts.Common;

/// <summary>The <see cref="ServiceAccount"/> aggregate's repository (with its secrets).</summary>
public interface IServiceAccountRepository
{
    /// <summary>The account with its secrets, tracked; deleted accounts too (the caller decides).</summary>
    Task<ServiceAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The service account's API keys that are not revoked, tracked (to delete them with the account).</summary>
    Task<IReadOnlyList<Domain.ApiKeys.ApiKey>> ListApiKeysAsync(Guid serviceAccountId, CancellationToken cancellationToken);

    void Add(ServiceAccount account);
}

/// <summary>Reads service accounts for listing and for <c>/me</c>, without tracking and never with a secret hash.</summary>
public interface IServiceAccountReader
{
    /// <summary>Live accounts of <paramref name="ownerId"/> (every owner's when null), newest first.</summary>
    Task<IReadOnlyList<ServiceAccountResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken);

    Task<ServiceAccountResponse?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken);
}
