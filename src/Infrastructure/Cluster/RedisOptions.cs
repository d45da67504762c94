namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// Configuration section <c>Redis</c> (SPEC section 10). Empty <see cref="Connection"/>: one node,
/// every memory in process, no Redis touched. Set: the nodes that share one database share through
/// Redis what must be shared (invalidations of the verification memory, signing-key changes,
/// throttling counters; ADR 0022).
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    public static readonly TimeSpan DegradedCacheDurationMin = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DegradedCacheDurationMax = TimeSpan.FromSeconds(10);

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=…</c>.</summary>
    public string Connection { get; set; } = string.Empty;

    /// <summary>Prefix of every Redis key and channel, so that two deployments can share one Redis.</summary>
    public string Prefix { get; set; } = "authplatform";

    /// <summary>While Redis is out of reach, how long a node trusts what it remembers (instead of minutes).</summary>
    public TimeSpan DegradedCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Connection);
}
