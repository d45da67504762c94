using System.Threading.RateLimiting;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Security;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// How many credential lookups that this instance's memory cannot answer (each one a database
/// read: a well-formed API key with a right checksum, neither verified nor known to be unknown
/// lately) a client address may cause per window: <c>RateLimiting:CredentialLookupLimit</c> per
/// <c>RateLimiting:CredentialLookupWindowSeconds</c>, per IPv4 address or IPv6 /64
/// (<see cref="ClientAddresses.ThrottleKey"/>). Taken before the read, so made-up keys cannot
/// make the database read without limit. Credentials answered from memory (verified keys, JWTs,
/// malformed keys) never come here: the gateway's hot path takes no lease and no lock.
/// </summary>
/// <remarks>
/// A <see cref="PartitionedRateLimiter{TResource}"/> of System.Threading.RateLimiting, keyed by the
/// throttle key, so that a cluster-wide one (RedisRateLimiting's partitions) can take its place.
/// </remarks>
public sealed class CredentialLookupBudget : IDisposable
{
    public const string PolicyName = "credential_lookup";

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly AuthMetrics _metrics;
    private readonly int _windowSeconds;

    public CredentialLookupBudget(RateLimitingOptions options, AuthMetrics metrics)
    {
        _metrics = metrics;
        _windowSeconds = Math.Max(1, options.CredentialLookupWindowSeconds);
        var limiterOptions = new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.CredentialLookupLimit),
            Window = TimeSpan.FromSeconds(_windowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => limiterOptions));
    }

    /// <summary>
    /// Takes one lookup from the budget of the request's client address; false (with the seconds
    /// to wait) when it is spent.
    /// </summary>
    public bool TryTake(HttpContext http, out int retryAfterSeconds)
    {
        var key = ClientAddresses.ThrottleKey(http.Connection.RemoteIpAddress?.ToString());
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            retryAfterSeconds = 0;
            return true;
        }

        _metrics.Throttled(PolicyName);
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : _windowSeconds;
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
