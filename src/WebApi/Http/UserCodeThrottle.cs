using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Device.Common;
using AuthPlatform.Infrastructure.Cluster;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// Wrong user codes entered on the device verification page (RFC 8628 5.1), per key (an address, a
/// signed-in user): a fixed window of <c>OAuth:DeviceUserCodeMaxFailures</c> failures per
/// <c>OAuth:DeviceUserCodeWindow</c>. Only failures spend it; once spent, every entry for that key is
/// refused until the window ends, the right code too. Each entry holds a slot while its code is
/// looked up (<see cref="FailureBudget"/>, as <see cref="ClientAuthenticationThrottle"/>). In memory, per instance,
/// or with Redis the cluster's (ADR 0022).
/// </summary>
public sealed class UserCodeThrottle(IOptions<OAuthOptions> options, TimeProvider clock, ClusterFailureCounts cluster) : IUserCodeThrottle
{
    private readonly FailureBudget _budget = new(
        Math.Max(1, options.Value.DeviceUserCodeMaxFailures),
        options.Value.DeviceUserCodeWindow > TimeSpan.Zero ? options.Value.DeviceUserCodeWindow : TimeSpan.FromMinutes(15),
        clock,
        cluster,
        "device-user-code");

    public Task<TimeSpan?> ReserveAsync(string key, CancellationToken cancellationToken) => _budget.ReserveAsync(key, cancellationToken);

    public void Complete(string key, bool failed) => _budget.Complete(key, failed);
}
