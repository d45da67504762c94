using System.Threading.RateLimiting;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Infrastructure.Cluster;

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
/// throttle key, whose windows are the cluster's with Redis (<see cref="ThrottleLimiters"/>, ADR 0022).
/// </remarks>
public sealed class CredentialLookupBudget : IDisposable
{
    public const string PolicyName = "credential_lookup";

    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly AuthMetrics _metrics;
    private readonly int _windowSeconds;

    public CredentialLookupBudget(RateLimitingOptions options, AuthMetrics metrics, ThrottleLimiters limiters)
    {
        _metrics = metrics;
        _windowSeconds = Math.Max(1, options.CredentialLookupWindowSeconds);
        var limit = Math.Max(1, options.CredentialLookupLimit);
        var window = TimeSpan.FromSeconds(_windowSeconds);
        _limiter = PartitionedRateLimiter.Create<string, string>(
            key => RateLimitPartition.Get(key, k => limiters.FixedWindow(PolicyName, k, limit, window)));
    }

    /// <summary>
    /// Takes one lookup from the budget of the request's client address; null when taken, else the
    /// seconds to wait because it is spent.
    /// </summary>
    public async ValueTask<int?> TryTakeAsync(HttpContext http)
    {
        var key = ClientAddresses.ThrottleKey(http.Connection.RemoteIpAddress?.ToString());
        using var lease = await _limiter.AcquireAsync(key, 1, http.RequestAborted);
        if (lease.IsAcquired)
        {
            return null;
        }

        _metrics.Throttled(PolicyName);
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : _windowSeconds;
    }

    public void Dispose() => _limiter.Dispose();
}
