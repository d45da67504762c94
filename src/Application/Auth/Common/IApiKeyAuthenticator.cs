namespace AuthPlatform.Application.Auth.Common;

/// <summary>Verifies API keys (shape, checksum, then memory or the database).</summary>
public interface IApiKeyAuthenticator
{
    /// <summary>Cheap test: the credential starts with our key prefix, so it is judged as an API key.</summary>
    bool LooksLikeApiKey(string credential);

    Task<TokenValidation> AuthenticateAsync(string key, CancellationToken cancellationToken);
}
