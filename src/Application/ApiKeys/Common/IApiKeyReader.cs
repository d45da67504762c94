namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>Reads keys for listing, without tracking and never with the hash.</summary>
public interface IApiKeyReader
{
    /// <summary>Users' own keys (of one owner, or all when <paramref name="ownerId"/> is null); never a service account's.</summary>
    Task<IReadOnlyList<ApiKeyResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken);

    /// <summary>The keys of one service account, newest first.</summary>
    Task<IReadOnlyList<ApiKeyResponse>> ListForServiceAccountAsync(Guid serviceAccountId, CancellationToken cancellationToken);
}
