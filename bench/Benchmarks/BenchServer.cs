using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;

namespace AuthPlatform.Benchmarks;

/// <summary>
/// The real server in-process (the WebApi's own composition and start-up: migrations, signing key),
/// on a throwaway SQLite file, Production settings, log level Warning and the per-address limits
/// lifted; with a registered user, its access token and an API key, each verified once (so both are
/// remembered, as on a gateway's hot path).
/// </summary>
public sealed class BenchServer : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"authplatform-bench-{Guid.NewGuid():N}.db");
    private readonly WebApplicationFactory<AuthPlatform.WebApi.Controllers.WellKnownController> _factory;

    public BenchServer()
    {
        // The content root is this build output (the server's appsettings.json and wwwroot are copied here), not a source folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_AUTHPLATFORM_WEBAPI", AppContext.BaseDirectory);
        _factory = new WebApplicationFactory<AuthPlatform.WebApi.Controllers.WellKnownController>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Default", $"Data Source={_database}");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("RateLimiting:PermitLimit", "1000000");
            builder.UseSetting("RateLimiting:WindowSeconds", "1");
        });
        Server = _factory.Server;
        using var client = _factory.CreateClient();
        const string email = "bench@example.com", password = "correct horse battery staple 42";
        Check(client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, name = "Bench" }).GetAwaiter().GetResult());
        var login = Check(client.PostAsJsonAsync("/api/v1/auth/login", new { email, password }).GetAwaiter().GetResult());
        AccessToken = login.GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Add("Authorization", "Bearer " + AccessToken);
        var key = Check(client.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "bench", permissions = new[] { "profile" } }).GetAwaiter().GetResult());
        ApiKey = key.GetProperty("key").GetString()!;
        foreach (var (name, value) in new[] { ("Authorization", "Bearer " + AccessToken), ("X-API-Key", ApiKey) })
        {
            var status = SendAsync("/api/v1/auth/verify", name, value).GetAwaiter().GetResult().Response.StatusCode;
            if (status != 200)
            {
                throw new InvalidOperationException($"verify with {name} answered {status}");
            }
        }
    }

    public TestServer Server { get; }

    public IServiceProvider Services => _factory.Services;

    public string AccessToken { get; }

    public string ApiKey { get; }

    /// <summary>One GET through the whole pipeline, with at most one request header.</summary>
    public Task<HttpContext> SendAsync(string path, string? header, string? value) =>
        Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            if (header is not null)
            {
                c.Request.Headers[header] = value;
            }
        });

    public void Dispose()
    {
        _factory.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static JsonElement Check(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }

        return response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult();
    }
}
