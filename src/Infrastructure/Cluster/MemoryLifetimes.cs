using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// How long the caches of the verification path may keep what they read (ADR 0022). Normally their
/// own durations (<c>ApiKeys:CacheDuration</c>, a client registration's minute): every node hears of
/// a change through Redis at once. While Redis is out of reach a node would miss those messages, so
/// it keeps entries at most <see cref="RedisOptions.DegradedCacheDuration"/> instead. Read only when
/// an entry is stored (a miss), never on a hit; one node (no Redis) is never degraded.
/// </summary>
public sealed class MemoryLifetimes(IOptions<RedisOptions> options)
{
    private volatile bool _degraded;

    public bool IsDegraded => _degraded;

    public TimeSpan DegradedCacheDuration => options.Value.DegradedCacheDuration;

    public TimeSpan Cap(TimeSpan lifetime) => _degraded && lifetime > DegradedCacheDuration ? DegradedCacheDuration : lifetime;

    internal void SetDegraded(bool degraded) => _degraded = degraded;
}
