// Longer than 150 lines because it is the one place that wires every port of the Application to its Infrastructure adapter, per database provider.
using AuthPlatform.Application.Admin.RotateSigningKey;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Audit;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.GetJwks;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.Users;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Auditing;
using AuthPlatform.Infrastructure.Cluster;
using AuthPlatform.Infrastructure.DataProtection;
using AuthPlatform.Infrastructure.Hashing;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Persistence.Readers;
using AuthPlatform.Infrastructure.Persistence.Repositories;
using AuthPlatform.Infrastructure.Tokens;
using AuthPlatform.Infrastructure.TwoFactor;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AuthPlatform.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.SectionName));
        services.Configure<LockoutOptions>(configuration.GetSection(LockoutOptions.SectionName));
        services.Configure<BootstrapOptions>(configuration.GetSection(BootstrapOptions.SectionName));
        services.AddOptions<ScopeOptions>().Bind(configuration.GetSection(ScopeOptions.SectionName))
            .Validate(o => o.Custom.All(Domain.Authorization.Scopes.IsValidName), "Scopes:Custom holds an invalid scope name: a scope matches [a-z0-9_.:-]{1,64}.")
            .ValidateOnStart();
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.SectionName))
            .Validate(o => o.SigningAlgorithm is "ES256" or "RS256", "Jwt:SigningAlgorithm must be ES256 or RS256.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > TimeSpan.Zero && o.SessionAbsoluteLifetime >= o.RefreshTokenLifetime,
                "Jwt lifetimes must be positive and Jwt:SessionAbsoluteLifetime at least Jwt:RefreshTokenLifetime.")
            .Validate(o => o.ClockSkew >= TimeSpan.Zero && o.ClockSkew <= TimeSpan.FromMinutes(2), "Jwt:ClockSkew must be between 0 and 2 minutes.")
            .ValidateOnStart();
        services.AddOptions<OAuthOptions>().Bind(configuration.GetSection(OAuthOptions.SectionName))
            .Validate(o => o.DeviceCodeLifetime >= TimeSpan.FromMinutes(1) && o.DeviceCodeLifetime <= Domain.OAuth.DeviceAuthorization.MaxLifetime,
                "OAuth:DeviceCodeLifetime must be between 1 and 30 minutes.")
            .Validate(o => o.DevicePollingInterval >= TimeSpan.FromSeconds(1) && o.DevicePollingInterval <= Domain.OAuth.DeviceAuthorization.MaxInterval
                && o.DevicePollingInterval.Ticks % TimeSpan.TicksPerSecond == 0, "OAuth:DevicePollingInterval must be whole seconds, 1 to 60.")
            .Validate(o => o.DeviceUserCodeMaxFailures is >= 1 and <= 1000 && o.DeviceUserCodeWindow >= TimeSpan.FromSeconds(1),
                "OAuth:DeviceUserCodeMaxFailures must be 1 to 1000 and OAuth:DeviceUserCodeWindow positive.")
            .ValidateOnStart();
        services.Configure<PasswordHashingOptions>(configuration.GetSection(PasswordHashingOptions.SectionName));
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName))
            .Validate(o => o.Prefix.Length is >= 2 and <= 16 && o.Prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)),
                "ApiKeys:Prefix must be 2 to 16 lowercase letters or digits.")
            .ValidateOnStart();
        services.Configure<TwoFactorOptions>(configuration.GetSection(TwoFactorOptions.SectionName));

        AddDatabase(services, database.Provider, configuration.GetConnectionString("Default"), database.CommandTimeoutSeconds);

        services.AddKeyRing(configuration); // Data Protection, its keys encrypted at rest when a certificate is set

        services.AddSingleton(TimeProvider.System);
        services.AddMetrics(); // IMeterFactory (the host adds it too; this keeps AddInfrastructure complete on its own)
        services.TryAddSingleton<Application.Common.Diagnostics.AuthMetrics>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<IUnitOfWork>(sp => sp.GetRequiredService<UnitOfWork>());
        services.AddScoped<IAfterCommit>(sp => sp.GetRequiredService<UnitOfWork>());
        services.AddScoped<IDomainEvents>(sp => sp.GetRequiredService<UnitOfWork>());
        services.AddScoped<IUserRepository, UserRepository>();
        services.AddScoped<Persistence.Throttling.AttemptThrottle>();
        services.AddScoped<IAttemptThrottle>(sp => sp.GetRequiredService<Persistence.Throttling.AttemptThrottle>());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Persistence.Throttling.AttemptCounterPruner>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<Persistence.Throttling.AttemptCounterPruner>());
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<OAuth.ExpiredGrantPruner>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<OAuth.ExpiredGrantPruner>());
        services.Configure<Persistence.Retention.RetentionOptions>(configuration.GetSection(Persistence.Retention.RetentionOptions.SectionName));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Persistence.Retention.RetentionPruner>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<Persistence.Retention.RetentionPruner>());
        services.AddScoped<IRefreshTokenFamilyRepository, RefreshTokenFamilyRepository>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<Application.Audit.ListAuditEvents.IAuditEventReader, AuditEventReader>();
        services.AddScoped<Application.Admin.ListUsers.IUserReader, UserReader>();
        services.AddScoped<Application.Admin.Common.IAccountLockReader, AccountLockReader>();

        services.AddSingleton<Application.Common.Security.IPasswordHasher, IdentityPasswordHasher>();
        services.AddSingleton<ICommonPasswordList, CommonPasswordList>();
        services.AddSingleton<ISecretGenerator, SecretGenerator>();
        services.AddSingleton<IScopeCatalog, ScopeCatalog>();

        services.AddSingleton<SigningKeyFactory>();
        services.AddSingleton<Application.Signing.ISigningKeyMaterialFactory>(sp => sp.GetRequiredService<SigningKeyFactory>());
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<IPublishedKeys>(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddScoped<Application.Signing.ISigningKeyRepository, SigningKeyRepository>();
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();
        services.AddSingleton<JwtIdTokenIssuer>();
        services.AddSingleton<Application.OAuth.Common.IIdTokenIssuer>(sp => sp.GetRequiredService<JwtIdTokenIssuer>());
        services.AddSingleton<Application.OAuth.Common.IIdTokenHints>(sp => sp.GetRequiredService<JwtIdTokenIssuer>());
        services.AddSingleton<JwtAccessTokenValidator>();
        services.AddSingleton<IAccessTokenValidator>(sp => sp.GetRequiredService<JwtAccessTokenValidator>());
        services.AddSingleton<SecurityStampCache>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<StartupLock>();

        services.AddMemoryCache(cache => cache.SizeLimit = 100_000);
        services.AddSingleton<ApiKeyFormat>();
        services.AddSingleton<IApiKeyGenerator>(sp => sp.GetRequiredService<ApiKeyFormat>());
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<ApiKeyAuthenticator>());
        services.AddSingleton<ApiKeyUsageTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsageTracker>());
        services.AddScoped<IApiKeyRepository, ApiKeyRepository>();
        services.AddScoped<Application.ServiceAccounts.Common.IServiceAccountRepository, ServiceAccountRepository>();
        services.AddScoped<Application.ServiceAccounts.Common.IServiceAccountReader, ServiceAccountReader>();
        services.AddScoped<Application.OAuth.Common.IClientStore, ServiceAccounts.ServiceAccountClientStore>();
        services.AddScoped<Application.OAuth.Common.IClientStore, OAuth.OAuthClientStore>();
        services.AddSingleton<OAuth.ClientRegistrationCache>();
        services.AddSingleton<RevokedClientCache>();
        services.AddSingleton<RevokedAccessTokenCache>();
        services.AddCluster(configuration); // the ports of the verification memory, announced to the other nodes when Redis is set
        services.AddSingleton<BatchedTokenAudit>();
        services.AddSingleton<Application.OAuth.Common.IIssuedTokenAudit>(sp => sp.GetRequiredService<BatchedTokenAudit>());
        services.AddHostedService(sp => sp.GetRequiredService<BatchedTokenAudit>());
        services.AddScoped<IApiKeyReader, ApiKeyReader>();
        services.AddScoped<Application.OAuth.Common.IOAuthClientRepository, OAuthClientRepository>();
        services.AddScoped<Application.OAuth.Common.IAuthorizationCodeRepository, AuthorizationCodeRepository>();
        services.AddScoped<Application.OAuth.Common.IUserGrantRepository, UserGrantRepository>();
        services.AddScoped<Application.OAuth.Device.Common.IDeviceAuthorizationRepository, DeviceAuthorizationRepository>();
        services.AddScoped<Application.OAuth.Clients.Common.IOAuthClientReader, OAuthClientReader>();

        services.AddSingleton<ITotp, OtpNetTotp>();
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<IQrCodeRenderer, QrCoderRenderer>();
        services.AddSingleton<IMfaTokens, JwtMfaTokens>();
        services.AddScoped<ISecondFactorStore, SecondFactorStore>();
        return services;
    }

    private static void AddDatabase(IServiceCollection services, DatabaseProvider provider, string? connectionString, int timeout)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new SqliteConnectionStringBuilder(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString);
                var directory = Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource));
                if (!string.IsNullOrEmpty(directory) && sqlite.DataSource != ":memory:")
                {
                    Directory.CreateDirectory(directory);
                }

                services.AddDbContextPool<AuthDbContext, SqliteAuthDbContext>(o => o.UseSqlite(sqlite.ToString(), s => s.CommandTimeout(timeout)));
                services.AddSingleton(DatabaseWriteGate.ForSqlite(
                    sqlite.DataSource == ":memory:" || sqlite.Mode == SqliteOpenMode.Memory ? sqlite.ToString() : Path.GetFullPath(sqlite.DataSource),
                    TimeSpan.FromSeconds(timeout)));
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<AuthDbContext, PostgresAuthDbContext>(o => o.UseNpgsql(Require(connectionString, provider), s => s.CommandTimeout(timeout)));
                services.AddSingleton(DatabaseWriteGate.None);
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<AuthDbContext, SqlServerAuthDbContext>(o => o.UseSqlServer(Require(connectionString, provider), s => s.CommandTimeout(timeout)));
                services.AddSingleton(DatabaseWriteGate.None);
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite, Postgres or SqlServer.");
        }
    }

    private static string Require(string? connectionString, DatabaseProvider provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"Database:Provider is {provider}: set ConnectionStrings:Default (ConnectionStrings__Default).")
            : connectionString;
}
