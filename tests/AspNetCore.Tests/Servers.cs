using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using AuthPlatform.WebApi.Controllers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.AspNetCore.Tests;

/// <summary>
/// The real AuthPlatform server (its WebApi, migrations and all) over a SQLite file of its own,
/// issuing tokens for <c>http://localhost</c> and knowing the sample's <c>models.read</c> scope.
/// </summary>
public sealed class AuthServer(string signingAlgorithm = "ES256") : WebApplicationFactory<WellKnownController>
{
    public const string Authority = "http://localhost";
    public const string AdminEmail = TestServerSettings.AdminEmail;
    public const string AdminPassword = TestServerSettings.AdminPassword;
    public const string Password = "correct horse battery staple";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"authplatform-aspnetcore-{Guid.NewGuid():N}.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseTestServerSettings("Sqlite", $"Data Source={_database};Pooling=False");
        builder.UseSetting("Jwt:Issuer", Authority);
        builder.UseSetting("Jwt:SigningAlgorithm", signingAlgorithm);
        builder.UseSetting("Scopes:Custom:0", "models.read");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>A new user's session token.</summary>
    public async Task<(string Token, string UserId, string Email)> NewUserTokenAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        using var client = CreateClient();
        var registered = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Resource Tester" });
        registered.EnsureSuccessStatusCode();
        var id = (string)(await ReadAsync(registered))["id"]!;
        return (await LoginAsync(email, Password), id, email);
    }

    public async Task<string> LoginAsync(string email, string password)
    {
        using var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return (string)(await ReadAsync(login))["token"]!;
    }

    /// <summary>A new API key of the token's user with <paramref name="permissions"/>: (key, id).</summary>
    public async Task<(string Key, string Id)> NewApiKeyAsync(string token, params string[] permissions)
    {
        var created = await SendAsync(HttpMethod.Post, "/api/v1/auth/api-keys", token, new { name = "resource key", permissions });
        created.EnsureSuccessStatusCode();
        var body = await ReadAsync(created);
        return ((string)body["key"]!, (string)body["id"]!);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, object? body = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}

public sealed class Es256AuthServer() : IAsyncLifetime
{
    public AuthServer Server { get; } = new("ES256");

    public Task InitializeAsync()
    {
        _ = Server.Server; // starts it: migrations, signing key, bootstrap administrator
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}

public sealed class Rs256AuthServer() : IAsyncLifetime
{
    public AuthServer Server { get; } = new("RS256");

    public Task InitializeAsync()
    {
        _ = Server.Server;
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}

/// <summary>
/// The sample resource server (tests/SampleResourceServer) in-process, its calls to AuthPlatform
/// routed into <see cref="AuthServer"/>'s test server and counted; its own clock.
/// </summary>
public sealed class SampleServer(AuthServer auth, Action<AuthPlatformOptions>? configure = null) : WebApplicationFactory<SampleModels>
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CountingHandler Calls { get; } = new(auth.Server.CreateHandler());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AuthPlatform:Authority", AuthServer.Authority);
        builder.UseSetting("AuthPlatform:RequireHttpsMetadata", "false");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.Configure<AuthPlatformOptions>(AuthPlatformDefaults.AuthenticationScheme, options =>
            {
                options.BackchannelHttpHandler = Calls;
                configure?.Invoke(options);
            });
        });
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? bearer = null, string? apiKey = null, string? rawAuthorization = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (rawAuthorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", rawAuthorization);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>Counts the sample's calls to AuthPlatform by path.</summary>
public sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _jwks;
    private int _verify;

    public int Jwks => Volatile.Read(ref _jwks);

    public int Verify => Volatile.Read(ref _verify);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        switch (request.RequestUri!.AbsolutePath)
        {
            case "/.well-known/jwks.json":
                Interlocked.Increment(ref _jwks);
                break;
            case "/api/v1/auth/verify":
                Interlocked.Increment(ref _verify);
                break;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
