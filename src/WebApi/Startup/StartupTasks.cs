using AuthPlatform.Application.Admin.EnsureBootstrapAdministrator;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Clients.EnsureCliClient;
using AuthPlatform.Application.Signing.EnsureSigningKey;
using AuthPlatform.Infrastructure.Persistence;
using Mediator;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Before the server listens: migrate, check and encrypt the Data Protection key ring, remember the security stamps that changed within a token's
/// lifetime, make sure a signing key exists, create the first administrator. Nodes starting together on one database take
/// these steps one at a time (<see cref="StartupLock"/>): the first migrates and creates the keys, the others find them.
/// </summary>
public static partial class StartupTasks
{
    public static async Task InitializeAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await using var startupLock = await services.GetRequiredService<StartupLock>().AcquireAsync(CancellationToken.None);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        await KeyRingStartup.SecureKeyRingAsync(services, app.Environment, app.Configuration); // before the signing keys are decrypted
        await services.GetRequiredService<Infrastructure.Tokens.SecurityStampCache>()
            .LoadRecentAsync(services.GetRequiredService<AuthDbContext>(), CancellationToken.None);
        await services.GetRequiredService<Infrastructure.Tokens.RevokedClientCache>()
            .LoadRecentAsync(services.GetRequiredService<AuthDbContext>(), CancellationToken.None);
        await services.GetRequiredService<Infrastructure.Tokens.RevokedAccessTokenCache>()
            .LoadRecentAsync(services.GetRequiredService<AuthDbContext>(), CancellationToken.None);
        await EnsureSigningKeyAsync(services);
        await EnsureBootstrapAdministratorAsync(services);
        await EnsureCliClientAsync(services);
        await services.GetRequiredService<Application.Common.Mapping.CompiledMappings>().Compilation; // compiling since the services were registered; a broken mapping stops the start-up here
    }

    /// <summary>Registers, restores or removes the built-in client of the <c>authplatform</c> CLI as <c>OAuth:CliClient:Enabled</c> says (ADR 0019).</summary>
    public static async Task EnsureCliClientAsync(IServiceProvider services)
    {
        var enabled = services.GetRequiredService<IOptions<OAuthOptions>>().Value.CliClient.Enabled;
        var result = await services.GetRequiredService<ISender>().Send(new EnsureCliClientCommand(enabled));
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Could not set up the built-in CLI client: {result.Error!.Code} {result.Error.Message}");
        }

        if (result.Value != CliClientOutcome.Unchanged)
        {
            LogCliClient(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupTasks)), result.Value);
        }
    }

    /// <summary>Creates a key that signs at once if none can sign (or is waiting to), and loads the key ring.</summary>
    public static async Task EnsureSigningKeyAsync(IServiceProvider services)
    {
        var result = await services.GetRequiredService<ISender>().Send(new EnsureSigningKeyCommand());
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Could not make sure a signing key exists: {result.Error!.Code} {result.Error.Message}");
        }
    }

    public static async Task EnsureBootstrapAdministratorAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupTasks));
        if (string.IsNullOrWhiteSpace(options.AdminEmail) || string.IsNullOrEmpty(options.AdminPassword))
        {
            LogNoBootstrap(logger);
            return;
        }

        var result = await services.GetRequiredService<ISender>().Send(
            new EnsureBootstrapAdministratorCommand(options.AdminEmail, options.AdminPassword, options.AdminName));
        if (!result.IsSuccess)
        {
            var reasons = string.Join("; ", result.Error!.Fields?.SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}")) ?? [result.Error.Message]);
            throw new InvalidOperationException($"The bootstrap administrator (Bootstrap:AdminEmail, Bootstrap:AdminPassword) is invalid: {reasons}");
        }

        if (result.Value == BootstrapOutcome.Created)
        {
            LogCreated(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No bootstrap administrator configured (Bootstrap__AdminEmail, Bootstrap__AdminPassword).")]
    private static partial void LogNoBootstrap(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built-in CLI client (OAuth__CliClient__Enabled): {Outcome}.")]
    private static partial void LogCliClient(ILogger logger, CliClientOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap administrator created.")]
    private static partial void LogCreated(ILogger logger);
}
