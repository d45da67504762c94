using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;
using static AuthPlatform.Integration.Tests.Cluster.ClusterFixture;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// The failure budget of client authentication with <c>Redis:Connection</c> naming a Redis that is not
/// there (ADR 0022, degraded mode): each node falls back to its own budget, exactly as with one node:
/// the budget's worth of wrong secrets is evaluated, then 429, and no error escapes.
/// </summary>
public sealed class UnreachableRedisBudgetTests
{
    private const int Limit = 4;

    [Fact]
    public async Task WrongClientSecrets_RedisUnreachable_EachNodeFallsBackToItsOwnBudget()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Connection"] = "127.0.0.1:17099,connectTimeout=500", // nothing listens there
            ["Redis:Prefix"] = $"test-{Guid.NewGuid():N}",
            ["RateLimiting:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var a = new AuthApiFactory(database, settings);
        await using var b = new AuthApiFactory(database, settings);
        using var owner = ClientAt.Connection(a, "192.0.2.87");
        var session = await NewSessionAsync(owner);
        var created = await SendAsync(owner, HttpMethod.Post, "/api/v1/service-accounts", (string)session["token"]!, new { name = "budget", scopes = new[] { "profile" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var clientId = (string)System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["client_id"]!;

        foreach (var node in new[] { a, b })
        {
            using var attacker = ClientAt.Connection(node, "192.0.2.88");
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 2 * Limit; i++)
            {
                statuses.Add((await attacker.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = $"guess-{i}",
                }))).StatusCode);
            }

            Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, Limit).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, Limit)), statuses);
        }
    }
}
