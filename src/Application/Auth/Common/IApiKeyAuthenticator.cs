namespace AuthPlatform.Application.Auth.Common;

/// <summary>Verifies API keys (shape, checksum, then memory or the database).</summary>
public interface IApiKeyAuthenticator
{
    /// <summary>Cheap test: the credential starts with our key prefix, so it is judged as an API key.</summary>
    bool LooksLikeApiKey(ReadOnlySpan<char> credential);

    /// <summary>
    /// The answer without I/O, when shape, checksum and memory can give it (a malformed key, a key
    /// verified or found unknown lately); false when only the database can tell. Allocates nothing.
    /// </summary>
    bool TryAuthenticateFromMemory(ReadOnlySpan<char> key, out TokenValidation validation);

    /// <summary>
    /// What <see cref="TryAuthenticateFromMemory"/> could not answer: one database read, whose
    /// answer is then remembered. The caller decides whether this client may cause the read.
    /// </summary>
    Task<TokenValidation> AuthenticateFromDatabaseAsync(string key, CancellationToken cancellationToken);
}
