using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RedisRateLimiting;
using StackExchange.Redis;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// Makes the fixed-window limiters of the per-address throttles (SPEC section 2): in this node's
/// memory with one node; with Redis, RedisRateLimiting's fixed window on the shared Redis, so the
/// limit holds for the cluster as a whole, falling back to this node's own window while Redis is
/// out of reach (degraded mode: logged, and <c>/health/ready</c> says Degraded). Acquire with
/// <c>AcquireAsync</c>: a cluster window needs a round trip, which <c>AttemptAcquire</c> cannot make.
/// </summary>
public sealed partial class ThrottleLimiters(IServiceProvider services, ILogger<ThrottleLimiters> logger)
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(30);
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private long _lastFallbackLog;

    /// <summary>The window of one partition (<paramref name="policy"/> and the address key <paramref name="partition"/>).</summary>
    public RateLimiter FixedWindow(string policy, string partition, int permitLimit, TimeSpan window)
    {
        var local = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        if (_redis is null)
        {
            return local;
        }

        var redis = _redis;
        var cluster = new RedisFixedWindowRateLimiter<string>($"{redis.Prefix}:{policy}:{partition}", new RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            ConnectionMultiplexerFactory = () => redis.Multiplexer,
        });
        return new ClusterWindow(cluster, local, redis, this);
    }

    /// <summary>Notes that a throttle fell back to this node's own count; logged at most every 30 s, whichever throttle it was.</summary>
    internal void FellBack(Exception e)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastFallbackLog);
        if (now - last >= LogEvery.TotalMilliseconds && Interlocked.CompareExchange(ref _lastFallbackLog, now, last) == last)
        {
            LogFallback(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Throttling through Redis failed ({Exception}): this node counts on its own until Redis answers")]
    private static partial void LogFallback(ILogger logger, string exception);

    /// <summary>The cluster's window while Redis is reachable, this node's own while it is not.</summary>
    private sealed class ClusterWindow(RateLimiter cluster, RateLimiter local, RedisConnection redis, ThrottleLimiters owner) : RateLimiter
    {
        public override TimeSpan? IdleDuration => local.IdleDuration;

        public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

        protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
            redis.IsConnected ? NotYet.Lease : local.AttemptAcquire(permitCount); // not yet: the middleware then calls AcquireAsync

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (redis.IsConnected)
            {
                try
                {
                    return new SecondsLease(await cluster.AcquireAsync(permitCount, cancellationToken));
                }
                catch (RedisException e)
                {
                    owner.FellBack(e);
                }
            }

            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                cluster.Dispose();
                local.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A refusal from <c>AttemptAcquire</c> that only means "ask <c>AcquireAsync</c>".</summary>
    private sealed class NotYet : RateLimitLease
    {
        public static readonly NotYet Lease = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>RedisRateLimiting's lease, whose Retry-After (whole seconds) is given as the <see cref="TimeSpan"/> that <see cref="MetadataName.RetryAfter"/> promises.</summary>
    private sealed class SecondsLease(RateLimitLease inner) : RateLimitLease
    {
        public override bool IsAcquired => inner.IsAcquired;

        public override IEnumerable<string> MetadataNames => inner.MetadataNames;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (!inner.TryGetMetadata(metadataName, out metadata))
            {
                return false;
            }

            if (metadataName == MetadataName.RetryAfter.Name && metadata is int seconds)
            {
                metadata = TimeSpan.FromSeconds(Math.Max(1, seconds));
            }

            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
