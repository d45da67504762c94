using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// Part of <c>/health/ready</c> when Redis is configured: Healthy while the invalidations flow,
/// Degraded (still 200: the node serves, with local throttling and short cache lifetimes) while
/// they do not. A node that cannot reach Redis must not be taken out of the load balancer.
/// </summary>
public sealed class RedisHealthCheck(RedisInvalidationBus bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(bus.IsLinked
            ? HealthCheckResult.Healthy("Redis reachable")
            : HealthCheckResult.Degraded("Redis out of reach: throttling per node, short cache lifetimes"));

    /// <summary>Adds the check, tagged <c>ready</c>, when <c>Redis:Connection</c> is set; with one node there is nothing to check.</summary>
    public static IHealthChecksBuilder AddTo(IHealthChecksBuilder builder, IConfiguration configuration) =>
        configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() is { IsConfigured: true }
            ? builder.AddCheck<RedisHealthCheck>("redis", tags: ["ready"])
            : builder;
}
