using System.Net;
using System.Text.Json.Nodes;
using static AuthPlatform.Integration.Tests.Cluster.ClusterFixture;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// Redis killed under two running nodes, then started again (ADR 0022): both keep serving, report
/// Degraded (200) on /health/ready, throttle on their own, and a revocation made on one reaches the
/// other through the database within the short cache lifetime (Redis:DegradedCacheDuration, 1 s
/// here) instead of a minute; once Redis is back the announcements flow again, with no restart.
/// </summary>
public sealed class RedisOutageTests(OwnRedisClusterFixture fixture) : IClassFixture<OwnRedisClusterFixture>
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>The short lifetime (1 s), the link watch's tick that re-reads the refusals (1 s) and slack for a shared machine.</summary>
    private static readonly TimeSpan ShortLifetime = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RedisStoppedMidTest_BothNodesServe_RevocationFallsBackToTheShortLifetime_AndRecoversWithoutRestart()
    {
        using var nodes = fixture.Clients("192.0.2.90");
        var (a, b) = (nodes.A, nodes.B);
        var session = await NewSessionAsync(a);
        var token = (string)session["token"]!;
        var (firstId, first) = await NewKeyAsync(a, token);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, first)).StatusCode);

        await fixture.OwnRedis!.StopAsync();
        await WithinAsync(TimeSpan.FromSeconds(10), async () => await ReadyAsync(a) == "Degraded" && await ReadyAsync(b) == "Degraded", "both nodes report Degraded");

        // Both nodes serve: sign-ins (throttled per node now), tokens and keys.
        var other = await NewSessionAsync(b);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(a, (string)other["token"]!)).StatusCode);

        // A revocation on A reaches B through the database within the short lifetime.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(a, HttpMethod.Post, $"/api/v1/auth/api-keys/{firstId}/revoke", token, new { })).StatusCode);
        // A node remembers a key until its clock says the lifetime is over: here a fake clock, moved past the short lifetime.
        fixture.NodeB.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await RefusedWithinAsync(ShortLifetime, b, first, "node B refuses the key revoked on A while Redis is down");
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(a, (string)other["token"]!)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(b, HttpMethod.Delete, "/api/v1/auth/sessions", (string)other["token"]!)).StatusCode);
        await RefusedWithinAsync(ShortLifetime, a, (string)other["token"]!, "node A refuses the token signed out on B while Redis is down");

        await fixture.OwnRedis.StartAsync();
        await WithinAsync(TimeSpan.FromSeconds(20), async () => await ReadyAsync(a) == "Healthy" && await ReadyAsync(b) == "Healthy", "both nodes report Healthy again");

        // Announcements flow again: B has remembered the new key for a minute, yet refuses it within a second.
        var (secondId, second) = await NewKeyAsync(a, token);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, second)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(a, HttpMethod.Post, $"/api/v1/auth/api-keys/{secondId}/revoke", token, new { })).StatusCode);
        await RefusedWithinAsync(OneSecond, b, second, "node B refuses the key revoked on A after Redis is back");
    }

    private static async Task<string> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<(string Id, string Key)> NewKeyAsync(HttpClient client, string token)
    {
        var created = await SendAsync(client, HttpMethod.Post, "/api/v1/auth/api-keys", token, new { name = "gateway", permissions = new[] { "profile" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        return ((string)key["id"]!, (string)key["key"]!);
    }
}
