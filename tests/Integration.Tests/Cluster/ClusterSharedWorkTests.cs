using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Infrastructure.OAuth;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Persistence.Throttling;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AuthPlatform.Integration.Tests.Cluster.ClusterFixture;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// What two nodes on one PostgreSQL and one Redis must do once for the cluster rather than once each
/// (ADR 0022): the failure budget of client authentication at the token endpoint holds for the
/// cluster; of the two nodes' pruners only one prunes in a window (a lease each); a signing key made
/// at a node's start-up is announced to the running nodes like a rotation through the API.
/// </summary>
public sealed class ClusterSharedWorkTests(SharedRedisClusterFixture fixture) : IClassFixture<SharedRedisClusterFixture>
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task WrongClientSecrets_BurstSplitAcrossBothNodes_AreEvaluatedOnlyUpToTheClusterLimit()
    {
        var (clientId, secret) = await NewServiceAccountAsync("192.0.2.80");
        using var nodes = fixture.Clients("192.0.2.81");

        // In parallel, half on each node: each node alone would let PermitLimit through to the comparison.
        var burst = await Task.WhenAll(Enumerable.Range(0, 4 * PermitLimit)
            .Select(i => TokenAsync(i % 2 == 0 ? nodes.A : nodes.B, clientId, $"guess-{i}")));

        Assert.Equal(PermitLimit, burst.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(3 * PermitLimit, burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        var refused = burst.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal("temporarily_unavailable", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {refused.Headers.RetryAfter}");

        // Spent for the cluster: the right secret is refused on both nodes too, and elsewhere it is not.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenAsync(nodes.A, clientId, secret)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenAsync(nodes.B, clientId, secret)).StatusCode);
        using var elsewhere = fixture.Clients("192.0.2.82");
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(elsewhere.B, clientId, secret)).StatusCode);
    }

    [Fact]
    public async Task Pruners_OfBothNodes_OnlyOnePrunesInAWindow()
    {
        PeriodicPruner[][] pairs =
        [
            [fixture.NodeA.Services.GetRequiredService<ExpiredGrantPruner>(), fixture.NodeB.Services.GetRequiredService<ExpiredGrantPruner>()],
            [fixture.NodeA.Services.GetRequiredService<AttemptCounterPruner>(), fixture.NodeB.Services.GetRequiredService<AttemptCounterPruner>()],
        ];
        foreach (var pair in pairs)
        {
            var runs = await Task.WhenAll(pair.Select(p => p.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None)));

            Assert.Single(runs, r => r is not null);
            var (winner, loser) = runs[0] is not null ? (pair[0], pair[1]) : (pair[1], pair[0]);
            Assert.Null(await loser.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None)); // the lease lasts one interval
            Assert.NotNull(await winner.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None));
        }
    }

    [Fact]
    public async Task SigningKey_MadeAtANewNodesStartUp_IsPublishedByTheRunningNodesWithinASecond()
    {
        // Every stored key stops signing: the next node to start finds none that can and makes one.
        var retiredAt = DateTimeOffset.UtcNow;
        await fixture.Database.ScalarAsync<long>(
            "WITH r AS (UPDATE signing_keys SET retired_at = @t WHERE retired_at IS NULL RETURNING 1) SELECT count(*) FROM r", ("t", retiredAt));
        await using var nodeC = new AuthApiFactory(fixture.Database, fixture.Settings);
        nodeC.Clock.SetUtcNow(retiredAt + TimeSpan.FromMinutes(1));
        _ = nodeC.Server;
        var kid = await fixture.Database.ScalarAsync<string>("SELECT key_id FROM signing_keys WHERE retired_at IS NULL");
        Assert.NotNull(kid);

        using var nodes = fixture.Clients("192.0.2.83");
        await WithinAsync(OneSecond, async () => (await nodes.A.GetStringAsync("/.well-known/jwks.json")).Contains(kid, StringComparison.Ordinal), "node A's JWKS lists the key node C made");
        await WithinAsync(OneSecond, async () => (await nodes.B.GetStringAsync("/.well-known/jwks.json")).Contains(kid, StringComparison.Ordinal), "node B's JWKS lists the key node C made");
    }

    /// <summary>A service account made from <paramref name="address"/> (not the attacker's): its client id and secret.</summary>
    private async Task<(string ClientId, string Secret)> NewServiceAccountAsync(string address)
    {
        using var nodes = fixture.Clients(address);
        var session = await NewSessionAsync(nodes.A);
        var created = await SendAsync(nodes.A, HttpMethod.Post, "/api/v1/service-accounts", (string)session["token"]!, new { name = "budget", scopes = new[] { "profile" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        return ((string)account["client_id"]!, (string)account["client_secret"]!);
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient node, string clientId, string secret) =>
        node.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
}
