using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// The server's signing keys (<c>/.well-known/jwks.json</c>), parsed by IdentityModel's
/// <see cref="JsonWebKeySet"/>. Fetched on first use, again in the background once older than
/// <see cref="AuthPlatformOptions.JwksRefreshInterval"/>, and at once (awaited, so the request that
/// carries a freshly rotated-in key succeeds) when a token names a <c>kid</c> the set lacks. Fetches
/// for unknown kids happen at most once per <see cref="AuthPlatformOptions.JwksMinimumRefreshInterval"/>,
/// and so do retries after a failed fetch; one fetch at a time. A failed fetch keeps the keys already known.
/// </summary>
/// <remarks>
/// Not IdentityModel's <c>ConfigurationManager</c>: after <c>RequestRefresh</c> its 8.x versions
/// refresh in the background and answer the stale keys, so the first request with a new <c>kid</c> fails.
/// </remarks>
internal sealed class JwksCache(HttpClient http, Uri uri, TimeSpan refreshInterval, TimeSpan minimumRefreshInterval, TimeProvider clock, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _lastAttempt = long.MinValue; // UTC ticks of the last fetch started
    private long _lastUnknownKid = long.MinValue; // UTC ticks of the last fetch for a kid the set lacked
    private int _backgroundRunning;
    private int _fetches;

    /// <summary>How many times the key set was fetched (for tests and diagnostics).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    public Snapshot Current => _snapshot;

    /// <summary>The key set, fetched first if it is empty or lacks <paramref name="kid"/> (rate-limited).</summary>
    public async ValueTask<Snapshot> GetAsync(string? kid, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        var now = clock.GetUtcNow();
        if (snapshot.Keys.Count == 0)
        {
            return MayFetch(ref _lastAttempt, now) ? await RefreshAsync(cancellationToken) : snapshot;
        }

        if (kid is not null && !snapshot.Keys.ContainsKey(kid))
        {
            // At most one fetch per interval for unknown kids, however many tokens name made-up ones.
            var last = Interlocked.Read(ref _lastUnknownKid);
            if (!MayFetch(ref _lastUnknownKid, now) || Interlocked.CompareExchange(ref _lastUnknownKid, now.UtcTicks, last) != last)
            {
                return snapshot;
            }

            return await RefreshAsync(cancellationToken);
        }

        if (now - snapshot.LoadedAt >= refreshInterval && MayFetch(ref _lastAttempt, now) && Interlocked.CompareExchange(ref _backgroundRunning, 1, 0) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync(CancellationToken.None);
                }
                finally
                {
                    Volatile.Write(ref _backgroundRunning, 0);
                }
            }, CancellationToken.None);
        }

        return snapshot;
    }

    /// <summary>The keys published under <paramref name="kid"/> in the current set (none for an unknown or missing kid).</summary>
    public IEnumerable<SecurityKey> Find(string? kid) =>
        kid is not null && _snapshot.Keys.TryGetValue(kid, out var keys) ? keys : [];

    private bool MayFetch(ref long lastTicks, DateTimeOffset now)
    {
        var last = Interlocked.Read(ref lastTicks);
        return last == long.MinValue || now.UtcTicks - last >= minimumRefreshInterval.Ticks;
    }

    private async Task<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        var seen = Interlocked.Read(ref _lastAttempt);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Interlocked.Read(ref _lastAttempt) != seen)
            {
                return _snapshot; // another request fetched while this one waited
            }

            var now = clock.GetUtcNow();
            Interlocked.Exchange(ref _lastAttempt, now.UtcTicks);
            Interlocked.Increment(ref _fetches);
            try
            {
                using var response = await http.GetAsync(uri, CancellationToken.None);
                response.EnsureSuccessStatusCode();
                var json = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var set = new JsonWebKeySet(json);
                var keys = new Dictionary<string, SecurityKey[]>(StringComparer.Ordinal);
                foreach (var group in set.GetSigningKeys().Where(k => !string.IsNullOrEmpty(k.KeyId)).GroupBy(k => k.KeyId, StringComparer.Ordinal))
                {
                    keys[group.Key] = group.ToArray();
                }

                var old = _snapshot;
                var same = old.Keys.Count == keys.Count && keys.Keys.All(old.Keys.ContainsKey);
                _snapshot = new Snapshot(keys, same ? old.Generation : old.Generation + 1, now);
                logger.LogDebug("AuthPlatform: {Count} signing keys loaded from {Uri}.", keys.Count, uri);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
            {
                logger.LogWarning(e, "AuthPlatform: the signing keys could not be fetched from {Uri}; the {Count} known keys stay in use.", uri, _snapshot.Keys.Count);
            }

            return _snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The keys by <c>kid</c>; <c>Generation</c> changes whenever the set of kids changes.</summary>
    internal sealed record Snapshot(IReadOnlyDictionary<string, SecurityKey[]> Keys, int Generation, DateTimeOffset LoadedAt)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, SecurityKey[]>(), 0, DateTimeOffset.MinValue);
    }
}
