using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Admin;

/// <summary>Administration of users (SPEC section 8) through HTTP: list and search, get, unlock, disable, enable, change the role.</summary>
public abstract class AdminUsersTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Users = "/api/v1/admin/users";

    private async Task<string> AdminTokenAsync() => Str(await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword), "token");

    private async Task<(string Email, string Id)> NewUserAsync(string? email = null)
    {
        var user = await RegisterAsync(email ?? NewEmail());
        return (Str(user, "email"), Str(user, "id"));
    }

    private async Task<JsonObject> AdminPostAsync(string path, string adminToken, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await PostJsonAsync(path, new { }, adminToken);
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadObjectAsync(response);
    }

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", Users },
        { "GET", $"{Users}/{Guid.NewGuid()}" },
        { "POST", $"{Users}/{Guid.NewGuid()}/unlock" },
        { "POST", $"{Users}/{Guid.NewGuid()}/disable" },
        { "POST", $"{Users}/{Guid.NewGuid()}/enable" },
        { "PUT", $"{Users}/{Guid.NewGuid()}/role" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AdminUsersEndpoint_ForANonAdministrator_Returns403InsufficientScope(string method, string path)
    {
        var (_, session) = await NewSessionAsync();

        var response = await SendAsync(new HttpMethod(method), path, method == "GET" ? null : JsonContent.Create(new { role = "admin" }), Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("scope=\"admin\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task List_WithAnEmailFragment_FindsMatchesCaseInsensitivelyAPageAtATime()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        foreach (var i in Enumerable.Range(1, 3))
        {
            await NewUserAsync($"{marker}-{i}@example.com");
            Factory.Clock.Advance(TimeSpan.FromSeconds(1)); // oldest first: the order of registration
        }

        await NewUserAsync();
        var admin = await AdminTokenAsync();

        var first = await ReadObjectAsync(await GetAsync($"{Users}?email={marker.ToUpperInvariant()}&page_size=2", admin));
        var second = await ReadObjectAsync(await GetAsync($"{Users}?email={marker}&page=2&page_size=2", admin));
        var everyone = await ReadObjectAsync(await GetAsync(Users, admin));

        Assert.Equal(3, (int)first["total"]!);
        Assert.Equal([$"{marker}-1@example.com", $"{marker}-2@example.com"], first["items"]!.AsArray().Select(u => Str(u, "email")));
        Assert.Equal([$"{marker}-3@example.com"], second["items"]!.AsArray().Select(u => Str(u, "email")));
        Assert.Equal(2, (int)second["page"]!);
        Assert.Equal(5, (int)everyone["total"]!); // and the administrator
        var item = first["items"]![0]!;
        Assert.Equal("user", Str(item, "role"));
        Assert.False((bool)item["disabled"]!);
        Assert.Null(item["password_hash"]);
        Assert.Null(item["security_stamp"]);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page_size=101")]
    [InlineData("page_size=abc")]
    public async Task List_WithABadPage_Returns400(string query)
    {
        var response = await GetAsync($"{Users}?{query}", await AdminTokenAsync());

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Get_KnownAndUnknownUser_AnswersTheUserOr404()
    {
        var (email, id) = await NewUserAsync();
        var admin = await AdminTokenAsync();

        var user = await ReadObjectAsync(await GetAsync($"{Users}/{id}", admin));

        Assert.Equal(email, Str(user, "email"));
        Assert.Equal(id, Str(user, "id"));
        await AssertProblemAsync(await GetAsync($"{Users}/{Guid.NewGuid()}", admin), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Unlock_LockedUser_CanSignInAtOnceAndIsAudited()
    {
        var (email, id) = await NewUserAsync();
        for (var i = 0; i < 10; i++)
        {
            await PostJsonAsync("/api/v1/auth/login", new { email, password = "not the password" });
        }

        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/login", new { email, password = Password }), (HttpStatusCode)423, "account_locked");
        var admin = await AdminTokenAsync();
        Assert.True((bool)(await ReadObjectAsync(await GetAsync($"{Users}/{id}", admin)))["locked"]!);

        var unlocked = await AdminPostAsync($"{Users}/{id}/unlock", admin);

        Assert.False((bool)unlocked["locked"]!);
        await LoginAsync(email);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'account.unlocked' AND actor_id IS NOT NULL"));
    }

    [Fact]
    public async Task Disable_StopsTheUsersSessionsTokensAndKeysAtOnce()
    {
        var (email, id) = await NewUserAsync();
        var session = await LoginAsync(email);
        var token = Str(session, "token");
        var cached = Str(await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/api-keys", new { name = "cached", permissions = new[] { "profile" } }, token)), "key");
        var unread = Str(await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/api-keys", new { name = "unread", permissions = new[] { "profile" } }, token)), "key");
        Assert.Equal(HttpStatusCode.OK, (await VerifyKeyAsync(cached)).StatusCode); // now remembered by this instance
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", token)).StatusCode);

        var disabled = await AdminPostAsync($"{Users}/{id}/disable", await AdminTokenAsync());

        Assert.True((bool)disabled["disabled"]!);
        await AssertProblemAsync(await VerifyKeyAsync(cached), HttpStatusCode.Unauthorized, "invalid_api_key");
        await AssertProblemAsync(await VerifyKeyAsync(unread), HttpStatusCode.Unauthorized, "invalid_api_key");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", token), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/login", new { email, password = Password }), HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'account.disabled' AND actor_id IS NOT NULL"));
    }

    [Fact]
    public async Task Enable_DisabledUser_SignsInAndKeysWorkAgainButEndedSessionsStayEnded()
    {
        var (email, id) = await NewUserAsync();
        var session = await LoginAsync(email);
        var key = Str(await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/api-keys", new { name = "k", permissions = new[] { "profile" } }, Str(session, "token"))), "key");
        var admin = await AdminTokenAsync();
        await AdminPostAsync($"{Users}/{id}/disable", admin);
        await AssertProblemAsync(await VerifyKeyAsync(key), HttpStatusCode.Unauthorized, "invalid_api_key"); // remembered as refused

        var enabled = await AdminPostAsync($"{Users}/{id}/enable", admin);

        Assert.False((bool)enabled["disabled"]!);
        Assert.Equal(HttpStatusCode.OK, (await VerifyKeyAsync(key)).StatusCode);
        await AssertProblemAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await LoginAsync(email);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'account.enabled'"));
    }

    [Fact]
    public async Task Disable_OwnAccount_Returns403AndChangesNothing()
    {
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);

        var response = await PostJsonAsync($"{Users}/{Str(admin["user"], "id")}/disable", new { }, Str(admin, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Users, Str(admin, "token"))).StatusCode);
    }

    [Fact]
    public async Task Disable_UnknownUser_Returns404()
    {
        var response = await PostJsonAsync($"{Users}/{Guid.NewGuid()}/disable", new { }, await AdminTokenAsync());

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    private Task<HttpResponseMessage> PutRoleAsync(string id, string? role, string adminToken) =>
        SendAsync(HttpMethod.Put, $"{Users}/{id}/role", JsonContent.Create(new { role }), adminToken);

    [Fact]
    public async Task ChangeRole_KeyMadeAsAdministratorThenOwnerDemoted_KeyIsRefusedAdminAtOnceAndKeepsTheRest()
    {
        var (email, id) = await NewUserAsync();
        var admin = await AdminTokenAsync();
        var promoted = await ReadObjectAsync(await PutRoleAsync(id, "admin", admin));
        Assert.Equal("admin", Str(promoted, "role"));
        var session = await LoginAsync(email); // a promotion shows in the next login's scopes
        var key = Str(await ReadObjectAsync(await PostJsonAsync(
            "/api/v1/auth/api-keys", new { name = "admin tool", permissions = new[] { "admin", "profile" } }, Str(session, "token"))), "key");
        Assert.Equal(HttpStatusCode.OK, (await WithKeyAsync(HttpMethod.Get, Users, key)).StatusCode); // now remembered by this instance

        var demoted = await ReadObjectAsync(await PutRoleAsync(id, "user", admin));

        Assert.Equal("user", Str(demoted, "role"));
        var refused = await WithKeyAsync(HttpMethod.Get, Users, key);
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("scope=\"admin\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, (await VerifyKeyAsync(key)).StatusCode); // its other permission still works
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        var refreshed = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }));
        await AssertProblemAsync(await GetAsync(Users, Str(refreshed, "token")), HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(2L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'account.role_changed' AND actor_id IS NOT NULL"));
    }

    [Fact]
    public async Task ChangeRole_KeyFirstReadAfterTheDemotion_IsCappedToo()
    {
        var (email, id) = await NewUserAsync();
        var admin = await AdminTokenAsync();
        await PutRoleAsync(id, "admin", admin);
        var key = Str(await ReadObjectAsync(await PostJsonAsync(
            "/api/v1/auth/api-keys", new { name = "unread", permissions = new[] { "admin" } }, Str(await LoginAsync(email), "token"))), "key");

        await PutRoleAsync(id, "user", admin);

        await AssertProblemAsync(await WithKeyAsync(HttpMethod.Get, Users, key), HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task ChangeRole_OwnRoleUnknownUserOrUnknownRole_Returns403Or404Or400()
    {
        var session = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        var admin = Str(session, "token");
        var (_, id) = await NewUserAsync();

        await AssertProblemAsync(await PutRoleAsync(Str(session["user"], "id"), "user", admin), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await PutRoleAsync(Guid.NewGuid().ToString(), "admin", admin), HttpStatusCode.NotFound, "not_found");
        var invalid = await AssertProblemAsync(await PutRoleAsync(id, "root", admin), HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(invalid["errors"]?["role"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Users, admin)).StatusCode); // still an administrator
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'account.role_changed'"));
    }

    private async Task<HttpResponseMessage> WithKeyAsync(HttpMethod method, string path, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", key);
        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> VerifyKeyAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
        request.Headers.Add("X-API-Key", key);
        return await Client.SendAsync(request);
    }
}

public sealed class AdminUsersTestsOnSqlite(SqliteApiFixture fixture) : AdminUsersTests<SqliteApiFixture>(fixture);

public sealed class AdminUsersTestsOnPostgres(PostgresApiFixture fixture) : AdminUsersTests<PostgresApiFixture>(fixture);
