using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AuthPlatform.Integration.Tests.ApiKeys;

/// <summary>
/// Operator-defined scopes (SPEC section 4) and the key usage written at shutdown. The shutdown
/// test lost its write in two full runs of five: under <c>WebApplicationFactory</c> the
/// host's <c>StopAsync</c> runs twice at once (the factory's dispose and the program's own
/// <c>RunAsync</c>), and the stop that found the queue already taken by the other returned before
/// that one had written it. The tracker now runs one flush at a time
/// (<c>ApiKeyUsageTrackerShutdownTests</c>), and this class runs in parallel with the others again.
/// </summary>
public sealed class ConfiguredScopesTests
{
    private const string Password = "operator scoped passphrase";

    [Fact]
    public async Task CustomScopes_AreHeldByUsersAndGrantableToKeys()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?>
        {
            ["Scopes:Custom:0"] = "models.read",
            ["Scopes:Custom:1"] = "read:objects",
        });
        using var client = app.CreateClient();
        var token = await SessionTokenAsync(client);

        var me = JsonNode.Parse(await (await Get(client, "/api/v1/auth/me", token)).Content.ReadAsStringAsync())!;
        var scopes = me["auth"]!["scopes"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Contains("models.read", scopes);
        Assert.Contains("read:objects", scopes);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys")
        {
            Content = JsonContent.Create(new { name = "model reader", permissions = new[] { "models.read" } }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var created = await client.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["key"]!;

        using var verify = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
        verify.Headers.Add("X-API-Key", key);
        var answer = JsonNode.Parse(await (await client.SendAsync(verify)).Content.ReadAsStringAsync())!;
        Assert.Equal(["models.read"], answer["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
    }

    [Theory]
    [InlineData("Models.Read")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public async Task CustomScopes_WithInvalidName_StopTheServerAtStartUp(string scope)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?> { ["Scopes:Custom:0"] = scope });

        // A real process prints that line alone and exits with code 1 (StartupProcessTests).
        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains("Configuration error: Scopes:Custom:0 (env Scopes__Custom__0)", error.ToString(), StringComparison.Ordinal);

        Assert.False(File.Exists(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource), "The database was touched before the check.");
    }

    [Fact]
    public async Task LastUsedAt_PendingAtShutdown_IsWritten()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var app = new AuthApiFactory(database);
        try
        {
            using var client = app.CreateClient();
            var token = await SessionTokenAsync(client);
            using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys")
            {
                Content = JsonContent.Create(new { name = "used once", permissions = new[] { "profile" } }),
            };
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var created = JsonNode.Parse(await (await client.SendAsync(create)).Content.ReadAsStringAsync())!;
            using var use = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
            use.Headers.Add("X-API-Key", (string)created["key"]!);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(use)).StatusCode);
            Assert.Equal(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE last_used_at IS NOT NULL"));
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.DoesNotContain("last_used_at failed", app.Logs.AllText, StringComparison.Ordinal);

        // Disposing the app stopped the host, which flushes the pending use.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE last_used_at IS NOT NULL AND name = 'used once'"));
    }

    private static async Task<string> SessionTokenAsync(HttpClient client)
    {
        var email = $"op-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Op" })).StatusCode);
        var login = JsonNode.Parse(await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })).Content.ReadAsStringAsync())!;
        return (string)login["token"]!;
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
