using AuthPlatform.WebApi.Startup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// The real application over a real database, with a clock the tests can move; <paramref name="testServices"/>
/// registers test doubles after the application's own services (and its extensions').
/// </summary>
public sealed class AuthApiFactory(
    TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<Program>
{
    public const string AdminEmail = TestServerSettings.AdminEmail;
    public const string AdminPassword = TestServerSettings.AdminPassword;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestDatabase Database => database;

    public LogSink Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseTestServerSettings(database.Provider, database.ConnectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            testServices?.Invoke(services);
        });
    }

    /// <summary>A client whose every answer is checked against the OpenAPI document (<see cref="OpenApiContractHandler"/>).</summary>
    public new HttpClient CreateClient() => CreateClient(new WebApplicationFactoryClientOptions());

    /// <summary>As the factory's own, with <see cref="OpenApiContractHandler"/> innermost: each answer, redirects included, is checked.</summary>
    public new HttpClient CreateClient(WebApplicationFactoryClientOptions options)
    {
        var handlers = new List<DelegatingHandler>();
        if (options.AllowAutoRedirect)
        {
            handlers.Add(new RedirectHandler(options.MaxAutomaticRedirections));
        }

        if (options.HandleCookies)
        {
            handlers.Add(new CookieContainerHandler());
        }

        handlers.Add(new OpenApiContractHandler(OpenApiContract.Document));
        return CreateDefaultClient(options.BaseAddress, [.. handlers]);
    }

    /// <summary>Empties the database and recreates the bootstrap administrator.</summary>
    public async Task ResetAsync()
    {
        await database.ResetAsync();
        await using var scope = Services.CreateAsyncScope();
        await StartupTasks.EnsureBootstrapAdministratorAsync(scope.ServiceProvider);
    }
}
