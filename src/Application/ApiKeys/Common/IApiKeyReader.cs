namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>Reads keys for listing, without tracking and never with the hash.</summary>
public interface IApiKeyReader
{
    Task<IReadOnlyList<ApiKeyResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken);
}
