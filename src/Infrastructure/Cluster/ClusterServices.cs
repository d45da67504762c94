using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.Signing;
using AuthPlatform.Application.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// One node or several (SPEC section 10, ADR 0022): the Application's ports to the verification memory
/// go through <see cref="ClusterInvalidations"/> either way; with <c>Redis:Connection</c> set they are
/// announced on Redis and the node listens for the others', without it nobody is told.
/// </summary>
public static class ClusterServices
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(RedisOptions.SectionName);
        services.Configure<RedisOptions>(section);
        services.AddSingleton<MemoryLifetimes>();
        services.AddSingleton<ThrottleLimiters>();
        services.AddSingleton<ClusterFailureCounts>();
        services.AddSingleton<VerificationMemory>();
        services.AddSingleton<ClusterInvalidations>();
        services.AddSingleton<IApiKeyCache>(sp => sp.GetRequiredService<ClusterInvalidations>());
        services.AddSingleton<ISecurityStamps>(sp => sp.GetRequiredService<ClusterInvalidations>());
        services.AddSingleton<IRevokedAccessTokens>(sp => sp.GetRequiredService<ClusterInvalidations>());
        services.AddSingleton<IRevokedClients>(sp => sp.GetRequiredService<ClusterInvalidations>());
        services.AddSingleton<IClientRegistrationCache>(sp => sp.GetRequiredService<ClusterInvalidations>());
        services.AddSingleton<ISigningKeyRing>(sp => sp.GetRequiredService<ClusterInvalidations>());
        if (section.Get<RedisOptions>() is not { IsConfigured: true })
        {
            services.AddSingleton<IInvalidationBus, SingleNodeBus>();
            return services;
        }

        services.AddSingleton<RedisConnection>();
        services.AddSingleton<RedisInvalidationBus>();
        services.AddSingleton<IInvalidationBus>(sp => sp.GetRequiredService<RedisInvalidationBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisInvalidationBus>());
        return services;
    }
}
