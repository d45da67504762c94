using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.ApiKeys;

/// <summary>SPEC sections 3 and 4 through HTTP: every row of the table, the three header styles, scopes.</summary>
public abstract class ApiKeyTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Keys = "/api/v1/auth/api-keys";

    private async Task<(JsonObject Session, JsonObject Key)> NewKeyAsync(string[]? permissions = null, string? expiresAt = null)
    {
        var (_, session) = await NewSessionAsync();
        var response = await PostJsonAsync(Keys, new { name = "ci deploy", permissions = permissions ?? ["profile", "api_keys:read"], expires_at = expiresAt }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (session, await ReadObjectAsync(response));
    }

    private async Task<HttpResponseMessage> CallWithKeyAsync(string url, string key, string style)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        switch (style)
        {
            case "bearer":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                break;
            case "raw":
                request.Headers.TryAddWithoutValidation("Authorization", key);
                break;
            default:
                request.Headers.Add("X-API-Key", key);
                break;
        }

        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Create_ReturnsKeyOnceInTheDocumentedFormat()
    {
        var (session, key) = await NewKeyAsync();

        var secret = Str(key, "key");
        Assert.Matches(@"^ap_[0-9A-Za-z]{49}$", secret);
        Assert.StartsWith(Str(key, "key_prefix"), secret);
        Assert.True(Str(key, "key_prefix").Length < secret.Length / 2);
        Assert.Equal(["profile", "api_keys:read"], key["permissions"]!.AsArray().Select(p => (string)p!).ToArray());
        Assert.Equal("ci deploy", Str(key, "name"));
        Assert.NotNull(key["created_at"]);

        var list = await ReadArrayAsync(await GetAsync(Keys, Str(session, "token")));
        var one = await ReadObjectAsync(await GetAsync($"{Keys}/{Str(key, "id")}", Str(session, "token")));
        Assert.Single(list);
        Assert.Null(list[0]!["key"]);
        Assert.Null(one["key"]);
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(Str(key, "key_prefix"), Str(one, "key_prefix"));
        Assert.Null(one["last_used_at"]); // never used yet: left out of the answer
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("raw")]
    [InlineData("x-api-key")]
    public async Task Key_InEachHeaderStyle_AuthenticatesAsApiKey(string style)
    {
        var (session, key) = await NewKeyAsync();

        var me = await CallWithKeyAsync("/api/v1/auth/me", Str(key, "key"), style);
        var verify = await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), style);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await ReadObjectAsync(me);
        Assert.Equal("api_key", Str(body["auth"], "method"));
        Assert.Equal(Str(key, "id"), Str(body["auth"], "api_key_id"));
        Assert.Equal(["profile", "api_keys:read"], body["auth"]!["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.Equal(Str(session["user"], "id"), Str(body, "id"));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var v = await ReadObjectAsync(verify);
        Assert.Equal("api_key", Str(v, "method"));
        Assert.Equal(Str(key, "id"), Str(v, "api_key_id"));
    }

    [Fact]
    public async Task Key_OutsideItsPermissions_Returns403InsufficientScope()
    {
        var (_, key) = await NewKeyAsync(["profile"]);

        var response = await CallWithKeyAsync(Keys, Str(key, "key"), "bearer");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("scope=\"api_keys:read\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Create_WithScopeTheOwnerLacks_IsRefusedAndNoKeyExists()
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(Keys, new { name = "escalate", permissions = new[] { "profile", "admin" } }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task Create_ByAKey_CannotExceedThatKeysPermissions()
    {
        var (_, key) = await NewKeyAsync(["api_keys:write", "api_keys:read"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, Keys)
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = "wider", permissions = new[] { "profile" } }),
        };
        request.Headers.Add("X-API-Key", Str(key, "key"));

        var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Theory]
    [InlineData("""{"name":"k","permissions":["no-such-scope"]}""", "permissions[0]")]
    [InlineData("""{"name":"k","permissions":["Profile"]}""", "permissions[0]")]
    [InlineData("""{"name":"k","permissions":[]}""", "permissions")]
    [InlineData("""{"name":"k","permissions":["profile"],"expires_at":"2020-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"name":"","permissions":["profile"]}""", "name")]
    public async Task Create_WithBadBody_Returns400ValidationFailed(string body, string field)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostRawAsync(Keys, body, Str(session, "token"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task Revoke_StopsTheKeyAtOnceEvenWhenCached()
    {
        var (session, key) = await NewKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer")).StatusCode); // now cached

        var revoke = await PostJsonAsync($"{Keys}/{Str(key, "id")}/revoke", new { }, Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.NotNull((await ReadObjectAsync(revoke))["revoked_at"]);
        var after = await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer");
        await AssertProblemAsync(after, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Contains("error=\"invalid_token\"", after.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Rotate_IssuesNewKeyWithSameNameAndPermissionsAndStopsTheOld()
    {
        var (session, key) = await NewKeyAsync(["profile"]);
        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/me", Str(key, "key"), "x-api-key")).StatusCode);

        var response = await PostJsonAsync($"{Keys}/{Str(key, "id")}/rotate", new { }, Str(session, "token"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var rotated = await ReadObjectAsync(response);
        Assert.NotEqual(Str(key, "key"), Str(rotated, "key"));
        Assert.NotEqual(Str(key, "id"), Str(rotated, "id"));
        Assert.Equal(Str(key, "name"), Str(rotated, "name"));
        Assert.Equal(["profile"], rotated["permissions"]!.AsArray().Select(p => (string)p!).ToArray());
        await AssertProblemAsync(await CallWithKeyAsync("/api/v1/auth/me", Str(key, "key"), "x-api-key"), HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/me", Str(rotated, "key"), "x-api-key")).StatusCode);
        var again = await PostJsonAsync($"{Keys}/{Str(key, "id")}/rotate", new { }, Str(session, "token"));
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Delete_Returns204AndTheKeyIsGone()
    {
        var (session, key) = await NewKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "raw")).StatusCode);

        var delete = await DeleteAsync($"{Keys}/{Str(key, "id")}", Str(session, "token"));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertProblemAsync(await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "raw"), HttpStatusCode.Unauthorized, "invalid_api_key");
        await AssertProblemAsync(await GetAsync($"{Keys}/{Str(key, "id")}", Str(session, "token")), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AnotherUsersKey_IsNotFoundForEveryCall()
    {
        var (_, key) = await NewKeyAsync();
        var (_, other) = await NewSessionAsync();
        var id = Str(key, "id");

        await AssertProblemAsync(await GetAsync($"{Keys}/{id}", Str(other, "token")), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await PostJsonAsync($"{Keys}/{id}/revoke", new { }, Str(other, "token")), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await PostJsonAsync($"{Keys}/{id}/rotate", new { }, Str(other, "token")), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await DeleteAsync($"{Keys}/{id}", Str(other, "token")), HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await ReadArrayAsync(await GetAsync(Keys, Str(other, "token"))));
        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer")).StatusCode);
    }

    [Fact]
    public async Task Admin_ListsAndRevokesAnyUsersKeys()
    {
        var (owner, key) = await NewKeyAsync();
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);

        var all = await ReadArrayAsync(await GetAsync($"/api/v1/admin/api-keys?user_id={Str(owner["user"], "id")}", Str(admin, "token")));
        var revoke = await PostJsonAsync($"/api/v1/admin/api-keys/{Str(key, "id")}/revoke", new { }, Str(admin, "token"));

        Assert.Single(all);
        Assert.Null(all[0]!["key"]);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await AssertProblemAsync(await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer"), HttpStatusCode.Unauthorized, "invalid_api_key");
        var forUser = await GetAsync("/api/v1/admin/api-keys", Str(owner, "token"));
        await AssertProblemAsync(forUser, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task Expired_Returns401InvalidApiKey()
    {
        var expires = Factory.Clock.GetUtcNow().AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var (_, key) = await NewKeyAsync(["profile"], expires);
        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer")).StatusCode);

        Factory.Clock.Advance(TimeSpan.FromHours(2));

        await AssertProblemAsync(await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer"), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [InlineData("ap_0000000000000000000000000000000000000000000000000")] // right shape, wrong checksum
    [InlineData("ap_short")]
    [InlineData("zz_0000000000000000000000000000000000000000000000000")]
    public async Task MalformedOrUnknownKey_Returns401(string key)
    {
        var viaHeader = await CallWithKeyAsync("/api/v1/auth/verify", key, "x-api-key");

        var problem = await AssertProblemAsync(viaHeader, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.NotNull(problem["detail"]);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("raw")]
    public async Task MalformedKeyInAuthorization_Returns401InvalidApiKey(string style)
    {
        var response = await CallWithKeyAsync("/api/v1/auth/verify", "ap_tooshort", style);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task CreateAndRotate_AreMarkedNoStore()
    {
        var (session, _) = await NewKeyAsync();
        var create = await PostJsonAsync(Keys, new { name = "another", permissions = new[] { "profile" } }, Str(session, "token"));
        var id = Str(await ReadObjectAsync(create), "id");
        var rotate = await PostJsonAsync($"{Keys}/{id}/rotate", new { }, Str(session, "token"));

        Assert.True(create.Headers.CacheControl?.NoStore);
        Assert.True(rotate.Headers.CacheControl?.NoStore);
        Assert.Contains("no-cache", create.Headers.Pragma.ToString());
    }

    [Theory]
    [InlineData("POST", "/api/v1/auth/2fa/setup")]
    [InlineData("GET", "/api/v1/auth/sessions")]
    [InlineData("POST", "/api/v1/auth/password")]
    public async Task AccountSecurityCalls_WithAKey_Return403Forbidden(string method, string url)
    {
        var (_, key) = await NewKeyAsync(["profile"]);
        using var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = method == "POST" ? System.Net.Http.Json.JsonContent.Create(new { current_password = Password, new_password = "another fine passphrase" }) : null,
        };
        request.Headers.Add("X-API-Key", Str(key, "key"));

        var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task NarrowKey_CannotRevokeOrDeleteAWiderKey()
    {
        var (session, wide) = await NewKeyAsync(["profile", "api_keys:read", "api_keys:write"]);
        var narrow = await ReadObjectAsync(await PostJsonAsync(Keys, new { name = "narrow", permissions = new[] { "api_keys:write" } }, Str(session, "token")));

        foreach (var (method, url) in new[] { ("POST", $"{Keys}/{Str(wide, "id")}/revoke"), ("DELETE", $"{Keys}/{Str(wide, "id")}") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            request.Headers.Add("X-API-Key", Str(narrow, "key"));
            await AssertProblemAsync(await Client.SendAsync(request), HttpStatusCode.Forbidden, "insufficient_scope");
        }

        Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/verify", Str(wide, "key"), "bearer")).StatusCode);
    }

    [Fact]
    public async Task Create_FromALoggedOutSession_Returns401()
    {
        var (_, session) = await NewSessionAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await PostJsonAsync("/api/v1/auth/logout", new { refresh_token = Str(session, "refresh_token") })).StatusCode);

        var response = await PostJsonAsync(Keys, new { name = "after logout", permissions = new[] { "profile" } }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
    }

    [Fact]
    public async Task Create_ExpiringWithinAMinute_Returns400()
    {
        var (_, session) = await NewSessionAsync();
        var soon = Factory.Clock.GetUtcNow().AddSeconds(30).ToString("yyyy-MM-ddTHH:mm:ssZ");

        var response = await PostJsonAsync(Keys, new { name = "too short", permissions = new[] { "profile" }, expires_at = soon }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task MistypedKey_IsRefusedByItsChecksum()
    {
        var (_, key) = await NewKeyAsync();
        var secret = Str(key, "key");
        var mistyped = secret[..10] + (secret[10] == 'a' ? 'b' : 'a') + secret[11..];
        var format = Factory.Services.GetRequiredService<ApiKeyFormat>();

        Assert.True(format.IsWellFormed(secret));
        Assert.False(format.IsWellFormed(mistyped));
        await AssertProblemAsync(await CallWithKeyAsync("/api/v1/auth/verify", mistyped, "bearer"), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task KeyInQueryString_IsRefused()
    {
        var (_, key) = await NewKeyAsync();

        var response = await GetAsync($"/api/v1/auth/verify?api_key={Str(key, "key")}");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task LastUsedAt_IsWrittenInTheBackgroundAtMostOncePerMinute()
    {
        var (session, key) = await NewKeyAsync();
        var tracker = Factory.Services.GetRequiredService<ApiKeyUsageTracker>();
        await tracker.FlushAsync(CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CallWithKeyAsync("/api/v1/auth/verify", Str(key, "key"), "bearer")).StatusCode);
        }

        Assert.Equal(1, await tracker.FlushAsync(CancellationToken.None));
        Assert.Equal(0, await tracker.FlushAsync(CancellationToken.None));
        var listed = await ReadObjectAsync(await GetAsync($"{Keys}/{Str(key, "id")}", Str(session, "token")));
        Assert.NotNull((string?)listed["last_used_at"]);
    }

    [Fact]
    public async Task Secret_IsStoredOnlyAsHashAndNeverLogged()
    {
        var (session, key) = await NewKeyAsync();
        var secret = Str(key, "key");
        await CallWithKeyAsync("/api/v1/auth/verify", secret, "bearer");
        await PostJsonAsync($"{Keys}/{Str(key, "id")}/rotate", new { }, Str(session, "token"));

        var database = await Factory.Database.DumpAllTextAsync();
        Assert.DoesNotContain(secret, database, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[3..], database, StringComparison.Ordinal);
        Assert.Contains(Str(key, "key_prefix"), database, StringComparison.Ordinal);
        var stored = await Factory.Database.ScalarAsync<string>("SELECT key_hash FROM api_keys WHERE key_prefix = @p", ("@p", Str(key, "key_prefix")));
        Assert.Matches("^[0-9a-f]{64}$", stored!);
        Assert.DoesNotContain(secret, Factory.Logs.AllText, StringComparison.Ordinal);
        Assert.Contains("api_key.created", Factory.Logs.AllText, StringComparison.Ordinal);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'api_key.rotated'"));
    }
}

public sealed class ApiKeyTestsOnSqlite(SqliteApiFixture fixture) : ApiKeyTests<SqliteApiFixture>(fixture);

public sealed class ApiKeyTestsOnPostgres(PostgresApiFixture fixture) : ApiKeyTests<PostgresApiFixture>(fixture);
