using System.Threading.RateLimiting;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Device.Common;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// Wrong user codes entered on the device verification page (RFC 8628 5.1), per key (an address, a
/// signed-in user): a fixed window of <c>OAuth:DeviceUserCodeMaxFailures</c> failures per
/// <c>OAuth:DeviceUserCodeWindow</c>. Only failures spend it; once spent, every entry for that key is
/// refused until the window ends, the right code too. In memory, per instance (like
/// <see cref="ClientAuthenticationThrottle"/>).
/// </summary>
public sealed class UserCodeThrottle : IUserCodeThrottle, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public UserCodeThrottle(IOptions<OAuthOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, limits.DeviceUserCodeMaxFailures),
                Window = limits.DeviceUserCodeWindow > TimeSpan.Zero ? limits.DeviceUserCodeWindow : TimeSpan.FromMinutes(15),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool MayTry(string key, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(key, 0);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.Zero;
        return lease.IsAcquired;
    }

    public void RecordFailure(string key)
    {
        using var lease = _limiter.AttemptAcquire(key, 1);
    }

    public void Dispose() => _limiter.Dispose();
}
