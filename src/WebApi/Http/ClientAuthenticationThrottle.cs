using System.Threading.RateLimiting;
using AuthPlatform.Application.OAuth.Common;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// Failed client authentications at the token endpoint, per client address (an IPv4 address or
/// an IPv6 /64): a fixed window of <c>RateLimiting:PermitLimit</c> failures per
/// <c>RateLimiting:WindowSeconds</c>, the same budget as the other endpoints where a secret can
/// be guessed (SPEC section 2). Only failures spend it; once spent, every client authentication
/// from the address is refused (429) until the window ends, the right secret too, so that the
/// answer tells a guesser nothing. In memory, per instance.
/// </summary>
public sealed class ClientAuthenticationThrottle : IClientAuthenticationThrottle, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ClientAuthenticationThrottle(IOptions<RateLimitingOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, limits.PermitLimit),
                Window = TimeSpan.FromSeconds(Math.Max(1, limits.WindowSeconds)),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool MayTry(string addressKey, out TimeSpan retryAfter)
    {
        // Zero permits asks whether any is left, without spending one.
        using var lease = _limiter.AttemptAcquire(addressKey, 0);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.Zero;
        return lease.IsAcquired;
    }

    public void RecordFailure(string addressKey)
    {
        using var lease = _limiter.AttemptAcquire(addressKey, 1);
    }

    public void Dispose() => _limiter.Dispose();
}
