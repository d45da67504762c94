using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthPlatform.Integration.Tests.Http;

/// <summary>One app outside Development with an allowed origin and an HTTPS port (the database plays no part: SQLite only).</summary>
public sealed class HttpSecurityFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://dashboard.example.com";

    private TestDatabase? _database;

    public AuthApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        Factory = new AuthApiFactory(_database, new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = AllowedOrigin,
            ["Https:Port"] = "443",
            ["Https:HstsMaxAge"] = "180.00:00:00",
            ["Https:HstsIncludeSubDomains"] = "true",
        });
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database!.DisposeAsync();
    }

    public HttpClient Client(string baseAddress) =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });
}
