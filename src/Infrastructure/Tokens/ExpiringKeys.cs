using System.Collections.Concurrent;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// Keys held until a time of their own (a revoked client, token or session, until no access token
/// it concerns can still be valid): the one in-memory store of the token validator's revocation
/// lists. A lookup takes no lock. Expired keys are dropped when looked up, and all of them by a
/// prune once the map passes a threshold; the next threshold is twice what the prune left (at least
/// <see cref="PruneAbove"/>), so a map full of live keys is not scanned on every add and each add
/// costs amortised constant time.
/// </summary>
internal sealed class ExpiringKeys<TKey>(TimeProvider clock, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    public const int PruneAbove = 50_000;

    private readonly ConcurrentDictionary<TKey, DateTimeOffset> _until = new(comparer);
    private int _pruneAt = PruneAbove;

    public int Count => _until.Count;

    /// <summary>Holds <paramref name="key"/> until <paramref name="until"/> (a later call replaces it).</summary>
    public void Hold(TKey key, DateTimeOffset until)
    {
        _until[key] = until;
        if (_until.Count <= Volatile.Read(ref _pruneAt))
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (held, at) in _until)
        {
            if (at < now)
            {
                _until.TryRemove(KeyValuePair.Create(held, at));
            }
        }

        Volatile.Write(ref _pruneAt, Math.Max(PruneAbove, _until.Count * 2));
    }

    /// <summary>True while <paramref name="key"/> is held.</summary>
    public bool Holds(TKey key) => HeldUntil(key) is not null;

    /// <summary>Until when <paramref name="key"/> is held; null when it is not (any more).</summary>
    public DateTimeOffset? HeldUntil(TKey key)
    {
        if (!_until.TryGetValue(key, out var until))
        {
            return null;
        }

        if (until < clock.GetUtcNow())
        {
            _until.TryRemove(KeyValuePair.Create(key, until));
            return null;
        }

        return until;
    }
}
