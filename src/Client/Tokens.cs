namespace AuthPlatform.Client;

/// <summary>Where a token set comes from, and so how it is refreshed and ended.</summary>
public enum TokenKind
{
    /// <summary>A sign-in at <c>/api/v1/auth/login</c>: refreshed at <c>/api/v1/auth/refresh</c>, ended at <c>/api/v1/auth/logout</c>.</summary>
    Session,

    /// <summary>An OAuth grant at <c>/oauth/token</c> (e.g. the device grant): refreshed with <c>grant_type=refresh_token</c> and the client id, ended at <c>/oauth/revoke</c>.</summary>
    OAuth,
}

/// <summary>A user's tokens.</summary>
/// <param name="AccessToken">The access token (a JWT), sent as <c>Authorization: Bearer</c>.</param>
/// <param name="RefreshToken">The refresh token, if any. Each is used once: the server ends the session when one is presented twice.</param>
/// <param name="ExpiresAt">When the access token expires.</param>
/// <param name="Kind">Where the tokens come from.</param>
/// <param name="ClientId">The OAuth client the tokens were issued to (<see cref="TokenKind.OAuth"/>).</param>
/// <param name="Scope">The granted scopes, space-separated, when the server said.</param>
public sealed record TokenSet(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, TokenKind Kind, string? ClientId, string? Scope)
{
    /// <summary>Keeps the tokens out of logs and exception messages.</summary>
    public override string ToString() => $"TokenSet {{ Kind = {Kind}, ExpiresAt = {ExpiresAt:O}, ClientId = {ClientId}, Scope = {Scope} }}";
}

/// <summary>
/// Keeps a user's <see cref="TokenSet"/> between calls (and, for a file or keychain store, between runs). The client
/// saves every refreshed set at once: the previous refresh token is spent.
/// </summary>
public interface ITokenStore
{
    /// <summary>The stored tokens, or null when signed out.</summary>
    ValueTask<TokenSet?> LoadAsync(CancellationToken ct);

    /// <summary>Replaces the stored tokens; null clears them.</summary>
    ValueTask SaveAsync(TokenSet? tokens, CancellationToken ct);
}

/// <summary>Tokens in memory, for the life of the process.</summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private TokenSet? _tokens;

    /// <summary>A store holding <paramref name="tokens"/> (or nothing).</summary>
    public InMemoryTokenStore(TokenSet? tokens = null) => _tokens = tokens;

    /// <inheritdoc />
    public ValueTask<TokenSet?> LoadAsync(CancellationToken ct) => ValueTask.FromResult(Volatile.Read(ref _tokens));

    /// <inheritdoc />
    public ValueTask SaveAsync(TokenSet? tokens, CancellationToken ct)
    {
        Volatile.Write(ref _tokens, tokens);
        return ValueTask.CompletedTask;
    }
}
