using AuthPlatform.Infrastructure.Cluster;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>
/// ASP.NET Core Data Protection with its key ring in the database (or, <c>DataProtection:Store=redis</c>,
/// in Redis: <see cref="RedisKeyRing"/>), encrypted with
/// <c>DataProtection:Certificate</c> when one is set; <c>DataProtection:OldCertificates:N</c> still
/// decrypt keys written before a rotation (docs/operations.md, "Encrypting the Data Protection key ring").
/// </summary>
public static class KeyRingServices
{
    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var certificates = KeyRingCertificates.Load(configuration);
        services.AddSingleton(certificates);
        services.AddScoped<KeyRingAtRest>();
        var dataProtection = services.AddDataProtection().SetApplicationName("AuthPlatform");
        var store = configuration.GetSection(KeyRingStoreOptions.SectionName).Get<KeyRingStoreOptions>()?.Store ?? KeyRingStore.Database;
        if (store == KeyRingStore.Redis)
        {
            // The connection is the node's one multiplexer (Cluster/RedisConnection), made when the ring is first read.
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            {
                var redis = sp.GetRequiredService<RedisConnection>();
                options.XmlRepository = new RedisXmlRepository(() => redis.Multiplexer.GetDatabase(), RedisKeyRing.Key(redis));
            }));
        }
        else
        {
            dataProtection.PersistKeysToDbContext<AuthDbContext>();
        }

        if (certificates.Current is { } current)
        {
            dataProtection.ProtectKeysWithCertificate(current);
        }

        if (certificates.Old.Count > 0)
        {
            dataProtection.UnprotectKeysWithAnyCertificate([.. certificates.Old]);
        }

        return services;
    }
}
