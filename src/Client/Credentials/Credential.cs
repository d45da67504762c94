using System.Net.Http.Headers;

namespace AuthPlatform.Client.Credentials;

/// <summary>What <see cref="Http.Authentication"/> puts on a request.</summary>
internal abstract class Credential
{
    /// <summary>Whether a 401 <c>token_expired</c> can be cured by <see cref="RenewAsync"/>.</summary>
    public abstract bool CanRenew { get; }

    /// <summary>Authenticates <paramref name="request"/>; answers what was sent (the access token), for <see cref="RenewAsync"/>.</summary>
    public abstract ValueTask<string?> ApplyAsync(HttpRequestMessage request, CancellationToken ct);

    /// <summary>Replaces the access token <paramref name="refused"/> the server found expired (single-flight).</summary>
    public virtual Task RenewAsync(string? refused, CancellationToken ct) => Task.CompletedTask;

    protected static void Bearer(HttpRequestMessage request, string token) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
}

/// <summary>An API key in <c>X-API-Key</c>.</summary>
internal sealed class ApiKeyCredential(string key) : Credential
{
    public override bool CanRenew => false;

    public override ValueTask<string?> ApplyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Remove("X-API-Key");
        request.Headers.TryAddWithoutValidation("X-API-Key", key);
        return ValueTask.FromResult<string?>(null);
    }
}

/// <summary>
/// A service account's (or confidential client's) own access token from the client-credentials grant, kept in
/// memory until <see cref="AuthPlatformClientOptions.RefreshBefore"/> before it expires; one token request at a time.
/// </summary>
internal sealed class ClientCredentials(TokenEndpoint endpoint, string clientId, string clientSecret, string? scope, TimeSpan refreshBefore, TimeProvider clock)
    : Credential
{
    private readonly SingleFlight<TokenSet> _flight = new();
    private TokenSet? _current;

    public override bool CanRenew => true;

    public override async ValueTask<string?> ApplyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var current = Volatile.Read(ref _current);
        if (current is null || current.ExpiresAt - refreshBefore <= clock.GetUtcNow())
        {
            current = await FetchAsync(current?.AccessToken, ct).ConfigureAwait(false);
        }

        Bearer(request, current.AccessToken);
        return current.AccessToken;
    }

    public override Task RenewAsync(string? refused, CancellationToken ct) => FetchAsync(refused, ct);

    private Task<TokenSet> FetchAsync(string? stale, CancellationToken ct) => _flight.RunAsync(
        async () =>
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && current.AccessToken != stale && current.ExpiresAt - refreshBefore > clock.GetUtcNow())
            {
                return current; // another caller's request already replaced it
            }

            var fresh = await endpoint.ClientCredentialsAsync(clientId, clientSecret, scope, CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _current, fresh);
            return fresh;
        },
        ct);
}

/// <summary>
/// The user's tokens of the <see cref="ITokenStore"/>: renewed before they expire and once on a 401 <c>token_expired</c>,
/// one refresh at a time (a refresh token presented twice ends the session). A refresh the server refuses clears the store.
/// </summary>
internal sealed class StoredTokens(ITokenStore store, TokenEndpoint endpoint, TimeSpan refreshBefore, TimeProvider clock) : Credential
{
    private readonly SingleFlight<TokenSet> _flight = new();

    public override bool CanRenew => true;

    public override async ValueTask<string?> ApplyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (await store.LoadAsync(ct).ConfigureAwait(false) is not { } tokens)
        {
            return null; // signed out: the anonymous operations work, the others answer 401 unauthenticated
        }

        if (tokens.ExpiresAt - refreshBefore <= clock.GetUtcNow())
        {
            tokens = await RefreshAsync(tokens.AccessToken, ct).ConfigureAwait(false);
        }

        Bearer(request, tokens.AccessToken);
        return tokens.AccessToken;
    }

    public override Task RenewAsync(string? refused, CancellationToken ct) => RefreshAsync(refused, ct);

    /// <summary>Replaces the stored tokens whose access token is <paramref name="stale"/>, unless another caller already did.</summary>
    public Task<TokenSet> RefreshAsync(string? stale, CancellationToken ct) => _flight.RunAsync(
        async () =>
        {
            var current = await store.LoadAsync(CancellationToken.None).ConfigureAwait(false)
                ?? throw new AuthPlatformSessionEndedException("signed out");
            if (current.AccessToken != stale && current.ExpiresAt - refreshBefore > clock.GetUtcNow())
            {
                return current;
            }

            if (current.RefreshToken is null)
            {
                await store.SaveAsync(null, CancellationToken.None).ConfigureAwait(false);
                throw new AuthPlatformSessionEndedException("the access token expired and there is no refresh token");
            }

            TokenSet fresh;
            try
            {
                fresh = await endpoint.RefreshAsync(current, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AuthPlatformException e) when (TokenEndpoint.EndsSession(current.Kind, e))
            {
                await store.SaveAsync(null, CancellationToken.None).ConfigureAwait(false);
                throw new AuthPlatformSessionEndedException($"the refresh was refused: {e.Code}", e);
            }

            await store.SaveAsync(fresh, CancellationToken.None).ConfigureAwait(false);
            return fresh;
        },
        ct);
}
