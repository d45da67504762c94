using AuthPlatform.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>
/// ASP.NET Core Data Protection with its key ring in the database, encrypted with
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
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("AuthPlatform")
            .PersistKeysToDbContext<AuthDbContext>();
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
