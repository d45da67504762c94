namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>A new key: the secret (shown once), its display prefix and its hash.</summary>
public sealed record GeneratedApiKey(string Key, string Prefix, string Hash);

/// <summary>Makes API keys in the product's format (prefix, random body, checksum).</summary>
public interface IApiKeyGenerator
{
    GeneratedApiKey Generate();
}
