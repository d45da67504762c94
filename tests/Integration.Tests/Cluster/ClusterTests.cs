// Longer than 150 lines because each announcement of ADR 0022 (keys, stamps, sessions, signing keys) and the shared throttle is one scenario over the same two nodes.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Auth;
using AuthPlatform.Integration.Tests.Infrastructure;
using static AuthPlatform.Integration.Tests.Cluster.ClusterFixture;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// SPEC section 10 with two nodes on one PostgreSQL and one Redis: what one node revokes, every node
/// refuses within a second (node B has remembered the credential as verified first, and would keep
/// trusting it for a minute or until the token's expiry on its own); the per-address limit holds for
/// the cluster; a signing key rotated on one node is used and published by the other.
/// </summary>
public sealed class ClusterTests(SharedRedisClusterFixture fixture) : IClassFixture<SharedRedisClusterFixture>
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ApiKey_RevokedOnNodeA_IsRefusedByNodeBWithinASecond()
    {
        using var nodes = fixture.Clients("192.0.2.71");
        var (a, b) = (nodes.A, nodes.B);
        var session = await NewSessionAsync(a);
        var token = (string)session["token"]!;
        var created = await SendAsync(a, HttpMethod.Post, "/api/v1/auth/api-keys", token, new { name = "gateway", permissions = new[] { "profile" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var secret = (string)key["key"]!;
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, secret)).StatusCode); // node B now trusts it from memory

        var revoke = await SendAsync(a, HttpMethod.Post, $"/api/v1/auth/api-keys/{key["id"]}/revoke", token, new { });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        await RefusedWithinAsync(OneSecond, b, secret, "node B refuses the revoked key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await VerifyAsync(a, secret)).StatusCode);
    }

    [Fact]
    public async Task SignOutEverywhere_OnNodeA_AccessTokenRefusedByNodeBWithinASecond()
    {
        using var nodes = fixture.Clients("192.0.2.72");
        var (a, b) = (nodes.A, nodes.B);
        var session = await NewSessionAsync(a);
        var token = (string)session["token"]!;
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, token)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(a, HttpMethod.Delete, "/api/v1/auth/sessions", token)).StatusCode);

        await RefusedWithinAsync(OneSecond, b, token, "node B refuses the signed-out token");
    }

    [Fact]
    public async Task RefreshTokenReplayedOnNodeA_SessionsAccessTokenRefusedByNodeBWithinASecond()
    {
        using var nodes = fixture.Clients("192.0.2.73");
        var (a, b) = (nodes.A, nodes.B);
        var session = await NewSessionAsync(a);
        var first = (string)session["refresh_token"]!;
        var refreshed = await a.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = first });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var token = (string)JsonNode.Parse(await refreshed.Content.ReadAsStringAsync())!["token"]!;
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(b, token)).StatusCode);

        // The old refresh token again: reuse, the whole family is revoked, and with it its access tokens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = first })).StatusCode);

        await RefusedWithinAsync(OneSecond, b, token, "node B refuses the revoked session's token");
    }

    [Fact]
    public async Task LoginBurst_SplitAcrossBothNodes_IsThrottledAtTheClusterLimit()
    {
        using var nodes = fixture.Clients("192.0.2.77");
        var (a, b) = (nodes.A, nodes.B);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * PermitLimit; i++)
        {
            var response = await (i % 2 == 0 ? a : b).PostAsJsonAsync("/api/v1/auth/login", new { email = $"nobody{i}@example.com", password = "some password guess" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {response.Headers.RetryAfter}");
            }
        }

        // Each node alone would admit PermitLimit: together they admit PermitLimit.
        Assert.Equal(PermitLimit, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(PermitLimit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task SigningKey_RotatedOnNodeA_NodeBPublishesItAndValidatesItsTokensWithinASecond()
    {
        using var nodes = fixture.Clients("192.0.2.75");
        var (a, b) = (nodes.A, nodes.B);
        var admin = await SignInAsync(a, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);

        var rotate = await SendAsync(a, HttpMethod.Post, "/api/v1/admin/signing-keys/rotate", (string)admin["token"]!, new { });
        Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
        var kid = (string)JsonNode.Parse(await rotate.Content.ReadAsStringAsync())!["kid"]!;

        // Test settings activate a new key at once: node A signs with it now.
        var signedByNewKey = (string)(await SignInAsync(a, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword))["token"]!;
        Assert.Equal(kid, (string)Jws.Header(signedByNewKey)["kid"]!);
        await WithinAsync(OneSecond, async () => (await b.GetStringAsync("/.well-known/jwks.json")).Contains(kid, StringComparison.Ordinal), "node B's JWKS lists the new key");
        await WithinAsync(OneSecond, async () => (await VerifyAsync(b, signedByNewKey)).StatusCode == HttpStatusCode.OK, "node B validates a token of the new key");

        // And node B signs with it too.
        var signedByB = (string)(await SignInAsync(b, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword))["token"]!;
        Assert.Equal(kid, (string)Jws.Header(signedByB)["kid"]!);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(a, signedByB)).StatusCode);
    }
}
