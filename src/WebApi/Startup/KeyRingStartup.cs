using System.Globalization;
using AuthPlatform.Infrastructure.DataProtection;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// The Data Protection key ring at start-up, right after the migrations and before anything reads it
/// (the signing keys are decrypted next): a ring encrypted with a certificate that is not configured
/// stops the start with one line naming it; keys still in clear are encrypted once a certificate is
/// set (and those encrypted with an old certificate move to the current one); in Production without a certificate, one warning says what is at risk and what to set.
/// With <c>DataProtection:Store=redis</c> the ring is Redis's: the database's keys are copied there when Redis has none
/// (<see cref="RedisKeyRing"/>), and the checks of the database's ring are not made.
/// </summary>
public static partial class KeyRingStartup
{
    public static async Task SecureKeyRingAsync(IServiceProvider services, IHostEnvironment environment, IConfiguration configuration)
    {
        if (configuration.GetSection(KeyRingStoreOptions.SectionName).Get<KeyRingStoreOptions>()?.Store == KeyRingStore.Redis)
        {
            var copied = await RedisKeyRing.AdoptDatabaseKeysAsync(
                services.GetRequiredService<Infrastructure.Persistence.AuthDbContext>(), services.GetRequiredService<Infrastructure.Cluster.RedisConnection>(), CancellationToken.None);
            if (copied > 0)
            {
                LogCopiedToRedis(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingStartup)), copied);
            }

            return;
        }

        var atRest = services.GetRequiredService<KeyRingAtRest>();
        var missing = await atRest.FindMissingCertificatesAsync(CancellationToken.None);
        if (missing.Count > 0)
        {
            throw new StartupConfigurationException([MissingLine(configuration, services.GetRequiredService<KeyRingCertificates>(), missing)]);
        }

        if (services.GetRequiredService<KeyRingCertificates>().Current is null)
        {
            if (environment.IsProduction())
            {
                LogUnencrypted(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingStartup)));
            }

            return;
        }

        await atRest.EncryptWithCurrentCertificateAsync(CancellationToken.None);
    }

    private static string MissingLine(IConfiguration configuration, KeyRingCertificates certificates, IReadOnlyList<MissingKeyRingCertificate> missing)
    {
        var reader = new SettingsReader(configuration);
        var needed = string.Join(" and ", missing.Select(m =>
            $"{m.Subject} (thumbprint {m.Thumbprint}, valid until {m.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}) for {m.Keys} key{(m.Keys == 1 ? "" : "s")}"));
        var configured = certificates.Current is { } current ? $"names {current.Subject} (thumbprint {current.Thumbprint})" : "is not set";
        reader.Fail(KeyRingCertificateOptions.CurrentSection,
            $"{configured}, but the Data Protection key ring in the database is encrypted with {needed}, which no configured certificate can decrypt",
            "that certificate, or a new one with that one listed in DataProtection:OldCertificates:N, so the keys that protect the signing keys and TOTP secrets can be read");
        return reader.Errors[0];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The Data Protection key ring is stored unencrypted in the database (table data_protection_keys): whoever reads the database or a backup of it " +
        "can decrypt the token-signing keys and TOTP secrets and forge access tokens. Set DataProtection__Certificate__Path and DataProtection__Certificate__Password " +
        "(a PKCS#12 file) or DataProtection__Certificate__Thumbprint to encrypt it; see docs/operations.md, \"Encrypting the Data Protection key ring\".")]
    private static partial void LogUnencrypted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "DataProtection:Store is redis and Redis held no Data Protection key: copied the database's {Count} keys there, so what they protect stays readable")]
    private static partial void LogCopiedToRedis(ILogger logger, int count);
}
