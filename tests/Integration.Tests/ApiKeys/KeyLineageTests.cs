// Longer than 150 lines because the attack (a short-lived key minting keys) is followed through create, revoke, delete and rotate.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.ApiKeys;

/// <summary>
/// A key created with a key, through HTTP: it expires no later than its creator, names it, and
/// stops (401 on /verify, at once, though cached) when the creator is revoked, deleted or rotated.
/// </summary>
public abstract class KeyLineageTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Keys = "/api/v1/auth/api-keys";
    private static readonly string[] Minting = ["profile", "api_keys:read", "api_keys:write"];

    private string In(TimeSpan delay) => Factory.Clock.GetUtcNow().Add(delay).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private async Task<JsonObject> CreateAsync(string session, string[] permissions, string? expiresAt = null)
    {
        var response = await PostJsonAsync(Keys, new { name = "made by a session", permissions, expires_at = expiresAt }, session);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    private async Task<HttpResponseMessage> WithKeyAsync(HttpMethod method, string url, JsonObject key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", Str(key, "key"));
        return await Client.SendAsync(request);
    }

    private async Task<JsonObject> CreateWithKeyAsync(JsonObject creator, string[] permissions)
    {
        var response = await WithKeyAsync(HttpMethod.Post, Keys, creator, new { name = "made by a key", permissions });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    private async Task<HttpStatusCode> VerifyAsync(JsonObject key) => (await WithKeyAsync(HttpMethod.Get, "/api/v1/auth/verify", key)).StatusCode;

    private async Task AssertStoppedAsync(JsonObject key) =>
        await AssertProblemAsync(await WithKeyAsync(HttpMethod.Get, "/api/v1/auth/verify", key), HttpStatusCode.Unauthorized, "invalid_api_key");

    /// <summary>A session, a key it made, a key that key made, and a key that one made; all verified once (so cached).</summary>
    private async Task<(string Session, JsonObject Parent, JsonObject Child, JsonObject Grandchild)> ThreeGenerationsAsync()
    {
        var (_, login) = await NewSessionAsync();
        var session = Str(login, "token");
        var parent = await CreateAsync(session, Minting, In(TimeSpan.FromHours(1)));
        var child = await CreateWithKeyAsync(parent, Minting);
        var grandchild = await CreateWithKeyAsync(child, ["profile"]);
        foreach (var key in new[] { parent, child, grandchild })
        {
            Assert.Equal(HttpStatusCode.OK, await VerifyAsync(key));
        }

        return (session, parent, child, grandchild);
    }

    [Fact]
    public async Task Create_WithAKeyExpiringIn65Seconds_ExpiresWithItAndNamesIt()
    {
        var (_, login) = await NewSessionAsync();
        var parent = await CreateAsync(Str(login, "token"), Minting, In(TimeSpan.FromSeconds(65)));

        var child = await CreateWithKeyAsync(parent, ["profile"]);

        Assert.True(DateTimeOffset.Parse(Str(child, "expires_at")) <= DateTimeOffset.Parse(Str(parent, "expires_at")));
        Assert.Equal(Str(parent, "id"), Str(child, "created_by_key_id"));
        var stored = await ReadObjectAsync(await GetAsync($"{Keys}/{Str(child, "id")}", Str(login, "token")));
        Assert.Equal(Str(parent, "id"), Str(stored, "created_by_key_id"));
        Assert.Equal(DateTimeOffset.Parse(Str(parent, "expires_at")), DateTimeOffset.Parse(Str(stored, "expires_at")));
        Assert.Null(parent["created_by_key_id"]);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(child));

        Factory.Clock.Advance(TimeSpan.FromSeconds(66));

        await AssertStoppedAsync(child);
    }

    [Fact]
    public async Task Create_WithAKeyAndALaterExpiresAt_Returns400AndCreatesNothing()
    {
        var (_, login) = await NewSessionAsync();
        var parent = await CreateAsync(Str(login, "token"), Minting, In(TimeSpan.FromSeconds(65)));

        var response = await WithKeyAsync(HttpMethod.Post, Keys, parent, new { name = "outlive", permissions = new[] { "profile" }, expires_at = In(TimeSpan.FromHours(2)) });

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["expires_at"]);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task Revoke_TheCreator_ChildAndGrandchildAnswer401AtOnce()
    {
        var (session, parent, child, grandchild) = await ThreeGenerationsAsync();

        var revoke = await PostJsonAsync($"{Keys}/{Str(parent, "id")}/revoke", new { }, session);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await AssertStoppedAsync(parent);
        await AssertStoppedAsync(child);
        await AssertStoppedAsync(grandchild);
        var stored = await ReadObjectAsync(await GetAsync($"{Keys}/{Str(grandchild, "id")}", session));
        Assert.NotNull(stored["revoked_at"]);
        Assert.Equal(3L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'api_key.revoked'"));
    }

    [Fact]
    public async Task Delete_TheCreator_ChildAndGrandchildAnswer401AtOnceAndStayListedAsRevoked()
    {
        var (session, parent, child, grandchild) = await ThreeGenerationsAsync();

        var delete = await DeleteAsync($"{Keys}/{Str(parent, "id")}", session);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertStoppedAsync(parent);
        await AssertStoppedAsync(child);
        await AssertStoppedAsync(grandchild);
        var listed = await ReadArrayAsync(await GetAsync(Keys, session));
        Assert.Equal(2, listed.Count);
        Assert.All(listed, key => Assert.NotNull(key!["revoked_at"]));
        Assert.Contains(listed, key => Str(key, "created_by_key_id") == Str(parent, "id"));
    }

    [Fact]
    public async Task Rotate_TheCreator_StopsTheKeysItCreated()
    {
        var (session, parent, child, grandchild) = await ThreeGenerationsAsync();

        var rotate = await PostJsonAsync($"{Keys}/{Str(parent, "id")}/rotate", new { }, session);

        Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(await ReadObjectAsync(rotate)));
        await AssertStoppedAsync(child);
        await AssertStoppedAsync(grandchild);
    }

    [Fact]
    public async Task Rotate_AKeyCreatedWithAKey_SuccessorKeepsItsCreatorAndExpiryAndStopsWithIt()
    {
        var (session, parent, child, _) = await ThreeGenerationsAsync();

        var successor = await ReadObjectAsync(await PostJsonAsync($"{Keys}/{Str(child, "id")}/rotate", new { }, session));
        Assert.Equal(Str(parent, "id"), Str(successor, "created_by_key_id"));
        Assert.Equal(DateTimeOffset.Parse(Str(child, "expires_at")), DateTimeOffset.Parse(Str(successor, "expires_at")));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(successor));

        await PostJsonAsync($"{Keys}/{Str(parent, "id")}/revoke", new { }, session);

        await AssertStoppedAsync(successor);
    }

    [Fact]
    public async Task Revoke_AnotherKey_LeavesAKeyCreatedWithASessionWorking()
    {
        var (session, parent, child, _) = await ThreeGenerationsAsync();
        var sessionKey = await CreateAsync(session, ["profile"]);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(sessionKey));

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync($"{Keys}/{Str(parent, "id")}/revoke", new { }, session)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"{Keys}/{Str(parent, "id")}", session)).StatusCode);

        await AssertStoppedAsync(child);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(sessionKey));
        var stored = await ReadObjectAsync(await GetAsync($"{Keys}/{Str(sessionKey, "id")}", session));
        Assert.Null(stored["created_by_key_id"]);
        Assert.Null(stored["revoked_at"]);
    }

    [Fact]
    public async Task Rotate_WithAShortLivedKeyOfAKeyOutsideItsLine_Returns403AndTheKeyKeepsWorking()
    {
        var (_, login) = await NewSessionAsync();
        var longLived = await CreateAsync(Str(login, "token"), ["profile"]);
        var shortLived = await CreateAsync(Str(login, "token"), Minting, In(TimeSpan.FromSeconds(65)));

        var response = await WithKeyAsync(HttpMethod.Post, $"{Keys}/{Str(longLived, "id")}/rotate", shortLived, new { });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(longLived));
        Assert.Equal(2L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }
}

public sealed class KeyLineageTestsOnSqlite(SqliteApiFixture fixture) : KeyLineageTests<SqliteApiFixture>(fixture);

public sealed class KeyLineageTestsOnPostgres(PostgresApiFixture fixture) : KeyLineageTests<PostgresApiFixture>(fixture);
