using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Infrastructure.Cluster;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// Failed client authentications at the token endpoint, per client address (an IPv4 address or
/// an IPv6 /64): a fixed window of <c>RateLimiting:PermitLimit</c> failures per
/// <c>RateLimiting:WindowSeconds</c>, the same budget as the other endpoints where a secret can
/// be guessed (SPEC section 2). Only failures spend it; once spent, every client authentication
/// from the address is refused (429) until the window ends, the right secret too, so that the
/// answer tells a guesser nothing. Each attempt holds a slot while its secret is compared
/// (<see cref="FailureBudget"/>): a parallel burst gets no more than the budget evaluated. In memory, per instance,
/// or with Redis the cluster's (ADR 0022).
/// </summary>
public sealed class ClientAuthenticationThrottle(IOptions<RateLimitingOptions> options, TimeProvider clock, ClusterFailureCounts cluster) : IClientAuthenticationThrottle
{
    private readonly FailureBudget _budget = new(
        Math.Max(1, options.Value.PermitLimit), TimeSpan.FromSeconds(Math.Max(1, options.Value.WindowSeconds)), clock, cluster, "client-authentication");

    public Task<TimeSpan?> ReserveAsync(string addressKey, CancellationToken cancellationToken) => _budget.ReserveAsync(addressKey, cancellationToken);

    public void Complete(string addressKey, bool failed) => _budget.Complete(addressKey, failed);
}
