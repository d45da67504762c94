using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>An app of its own (so its own rate-limit window) whose per-address limit is 3 calls a minute.</summary>
public sealed class ThrottledApp : IAsyncDisposable
{
    private ThrottledApp(TestDatabase database, AuthApiFactory factory)
    {
        Database = database;
        Factory = factory;
    }

    public TestDatabase Database { get; }

    public AuthApiFactory Factory { get; }

    public static async Task<ThrottledApp> StartAsync()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var factory = new AuthApiFactory(database, new Dictionary<string, string?>
        {
            ["RateLimiting:PermitLimit"] = "3",
            ["RateLimiting:WindowSeconds"] = "60",
        });
        _ = factory.Server;
        return new ThrottledApp(database, factory);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>RL-02, RL-03 and SPEC section 2's throttling: 429 with Retry-After, before any password hash.</summary>
public sealed class ThrottlingTests
{
    [Fact]
    public async Task Login_OverTheLimit_Returns429WithRetryAfterAndHashesNothing()
    {
        await using var app = await ThrottledApp.StartAsync();
        using var client = app.Factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = JsonContent.Create(new { email = $"nobody{i}@example.com", password = "some password guess" }),
            };
            // RL-02: a new X-Forwarded-For each time changes nothing: no proxy is trusted.
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            last = await client.SendAsync(request);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.True(limited >= 3, string.Join(",", statuses));
        Assert.NotNull(last!.Headers.RetryAfter);
        Assert.True(last.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await last.Content.ReadAsStringAsync())!;
        Assert.Equal("rate_limited", (string?)problem["code"]);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);

        // A throttled attempt never reached the handler: only the admitted ones were audited.
        var audited = await app.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'login.failed'");
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.Unauthorized), audited);
    }

    [Fact]
    public async Task Register_UnderAFlood_Returns429()
    {
        await using var app = await ThrottledApp.StartAsync();
        using var client = app.Factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"flood{i}-{Guid.NewGuid():N}@example.com", password = "a perfectly fine passphrase", name = "Flood" });
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task Refresh_IsNotLimitedPerAddress()
    {
        await using var app = await ThrottledApp.StartAsync();
        using var client = app.Factory.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = $"unknown-{i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
