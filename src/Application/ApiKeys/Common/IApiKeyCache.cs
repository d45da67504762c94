namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>The verified-key cache of this instance: changes to a key evict it at once.</summary>
public interface IApiKeyCache
{
    void Evict(string keyHash);
}
