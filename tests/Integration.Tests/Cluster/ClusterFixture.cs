using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// Two application hosts (node A and node B) on one PostgreSQL database and one Redis (ADR 0022), as
/// two nodes of a cluster behind a load balancer. Each node has its own memory and its own frozen
/// test clock, so the only way one node learns of another's change before its own caches expire is
/// Redis. <see cref="OwnRedis"/>: a redis-server of the fixture's own, which a test may kill and start again.
/// </summary>
public abstract class ClusterFixture(bool ownRedis) : IAsyncLifetime
{
    /// <summary>The per-address limit of both nodes (RateLimiting:PermitLimit): a burst test spends it, other tests use addresses of their own.</summary>
    public const int PermitLimit = 10;

    public AuthApiFactory NodeA { get; private set; } = null!;

    public AuthApiFactory NodeB { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public TestRedis? OwnRedis { get; private set; }

    /// <summary>The settings of both nodes (Redis, its prefix, the limit): a third node started with them joins the cluster.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        string address;
        if (ownRedis)
        {
            OwnRedis = await TestRedis.StartOwnAsync();
            address = OwnRedis.Address;
        }
        else
        {
            address = TestRedis.SharedAddress();
        }

        var settings = new Dictionary<string, string?>
        {
            ["Redis:Connection"] = address,
            ["Redis:Prefix"] = $"test-{Guid.NewGuid():N}", // the shared Redis serves other fixtures too
            ["Redis:DegradedCacheDuration"] = "00:00:01",
            ["RateLimiting:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Settings = settings;
        NodeA = new AuthApiFactory(Database, settings);
        _ = NodeA.Server; // migrates and makes the signing key
        NodeB = new AuthApiFactory(Database, settings);
        _ = NodeB.Server;
    }

    public async Task DisposeAsync()
    {
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
        await Database.DisposeAsync();
        if (OwnRedis is not null)
        {
            await OwnRedis.DisposeAsync();
        }
    }

    /// <summary>A client of each node, both connected from <paramref name="address"/> (each test its own addresses).</summary>
    public NodeClients Clients(string address) => new(ClientAt.Connection(NodeA, address), ClientAt.Connection(NodeB, address));

    /// <summary>Waits until <paramref name="node"/>'s <c>/verify</c> refuses <paramref name="credential"/>; fails past <paramref name="limit"/>.</summary>
    public static Task<TimeSpan> RefusedWithinAsync(TimeSpan limit, HttpClient node, string credential, string what) =>
        WithinAsync(limit, async () => (await VerifyAsync(node, credential)).StatusCode == HttpStatusCode.Unauthorized, what);

    /// <summary>Registers a user through <paramref name="client"/> and signs in: the session answer.</summary>
    public static async Task<JsonObject> NewSessionAsync(HttpClient client)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        const string password = ApiTestBase<SqliteApiFixture>.Password;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, name = "Node User" })).StatusCode);
        return await SignInAsync(client, email, password);
    }

    public static async Task<JsonObject> SignInAsync(HttpClient client, string email, string password)
    {
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return JsonNode.Parse(await login.Content.ReadAsStringAsync())!.AsObject();
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> VerifyAsync(HttpClient client, string credential) => SendAsync(client, HttpMethod.Get, "/api/v1/auth/verify", credential);

    /// <summary>How long until <paramref name="condition"/> held, polling every 20 ms; fails past <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan> WithinAsync(TimeSpan limit, Func<Task<bool>> condition, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < limit, $"{what}: not within {limit.TotalSeconds} s");
            await Task.Delay(20);
        }

        return watch.Elapsed;
    }
}

/// <summary>A client of node A and one of node B.</summary>
public sealed record NodeClients(HttpClient A, HttpClient B) : IDisposable
{
    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}

public sealed class SharedRedisClusterFixture() : ClusterFixture(ownRedis: false);

public sealed class OwnRedisClusterFixture() : ClusterFixture(ownRedis: true);
