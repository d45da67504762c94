// Longer than 150 lines because every row of SPEC section 5 (create, list, get, delete, secrets, keys) is tested here.
using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>SPEC section 5 through HTTP: the service-account resource, its secrets and its API keys.</summary>
public abstract class ServiceAccountTests<TFixture>(TFixture fixture) : OAuthTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Create_ReturnsIdClientIdAndSecretOnce()
    {
        var (session, account) = await NewServiceAccountAsync();

        Assert.Matches("^sa_[0-9A-Za-z]{22}$", Str(account, "client_id"));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", Str(account, "client_secret"));
        Assert.Equal(["profile", "api_keys:read"], account["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.Equal(Str(session["user"], "id"), Str(account, "owner_id"));
        var one = await ReadObjectAsync(await GetAsync($"{Accounts}/{Str(account, "id")}", Str(session, "token")));
        var list = await ReadArrayAsync(await GetAsync(Accounts, Str(session, "token")));
        Assert.Single(list);
        Assert.Null(one["client_secret"]);
        Assert.DoesNotContain(Str(account, "client_secret"), list.ToJsonString() + one.ToJsonString(), StringComparison.Ordinal);
        var secret = Assert.Single(one["secrets"]!.AsArray());
        Assert.Equal(Str(account, "secret_id"), Str(secret, "id"));
        Assert.NotNull(secret!["created_at"]);
        Assert.Null(secret["secret_hash"]);
        Assert.Equal("nightly job", Str(one, "description"));
    }

    [Fact]
    public async Task Create_WithScopeTheCreatorLacks_Returns403AndCreatesNothing()
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(Accounts, new { name = "escalate", scopes = new[] { "profile", "admin" } }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_accounts"));
    }

    [Theory]
    [InlineData("""{"name":"k","scopes":["no-such-scope"]}""", "scopes[0]")]
    [InlineData("""{"name":"k","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"","scopes":["profile"]}""", "name")]
    [InlineData("""{"name":"k","scopes":["profile"],"secret_expires_at":"2020-01-01T00:00:00Z"}""", "secret_expires_at")]
    public async Task Create_WithBadBody_Returns400AndCreatesNothing(string body, string field)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostRawAsync(Accounts, body, Str(session, "token"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_accounts"));
    }

    [Fact]
    public async Task Create_WithHugeName_Returns400()
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(Accounts, new { name = new string('x', 100_000), scopes = new[] { "profile" } }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task GetAndDelete_OfAnotherUsersAccount_Return404_ButAnAdministratorSeesAll()
    {
        var (_, account) = await NewServiceAccountAsync();
        var (_, stranger) = await NewSessionAsync();
        var admin = Str(await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword), "token");

        await AssertProblemAsync(await GetAsync($"{Accounts}/{Str(account, "id")}", Str(stranger, "token")), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await DeleteAsync($"{Accounts}/{Str(account, "id")}", Str(stranger, "token")), HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await ReadArrayAsync(await GetAsync(Accounts, Str(stranger, "token"))));
        Assert.Single(await ReadArrayAsync(await GetAsync(Accounts, admin)));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"{Accounts}/{Str(account, "id")}", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"{Accounts}/{Str(account, "id")}", admin)).StatusCode);
    }

    [Fact]
    public async Task Delete_RemovesTheAccountItsSecretsAndItsKeys()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = Str(session, "token");
        var key = await ReadObjectAsync(await PostJsonAsync($"{Accounts}/{Str(account, "id")}/api-keys", new { name = "sa key", permissions = new[] { "profile" } }, token));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", Str(key, "key"))).StatusCode); // cached now

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"{Accounts}/{Str(account, "id")}", token)).StatusCode);

        await AssertProblemAsync(await GetAsync($"{Accounts}/{Str(account, "id")}", token), HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await ReadArrayAsync(await GetAsync(Accounts, token)));
        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", Str(key, "key")), HttpStatusCode.Unauthorized, "invalid_api_key");
        await AssertOAuthErrorAsync(await ClientCredentialsAsync(account), HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_account_secrets"));
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
        await AssertProblemAsync(await DeleteAsync($"{Accounts}/{Str(account, "id")}", token), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AddSecret_BothSecretsWork_UntilOneIsDeleted()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = Str(session, "token");

        var added = await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, token);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        AssertNoStore(added);
        var secret = await ReadObjectAsync(added);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", Str(secret, "client_secret"));
        Assert.NotNull(secret["created_at"]);
        var second = new JsonObject { ["client_id"] = Str(account, "client_id"), ["client_secret"] = Str(secret, "client_secret") };
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(account)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(second)).StatusCode);
        Assert.Equal(2, (await ReadObjectAsync(await GetAsync($"{Accounts}/{Str(account, "id")}", token)))["secrets"]!.AsArray().Count);

        var deleted = await DeleteAsync($"{Accounts}/{Str(account, "id")}/secrets/{Str(account, "secret_id")}", token);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertOAuthErrorAsync(await ClientCredentialsAsync(account), HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(second)).StatusCode);
        await AssertProblemAsync(
            await DeleteAsync($"{Accounts}/{Str(account, "id")}/secrets/{Str(account, "secret_id")}", token), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AddSecret_WithExpiry_IsRefusedOnceExpired()
    {
        var (session, account) = await NewServiceAccountAsync();
        var expires = Factory.Clock.GetUtcNow().AddHours(1);
        var secret = await ReadObjectAsync(await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { expires_at = expires }, Str(session, "token")));
        var expiring = new JsonObject { ["client_id"] = Str(account, "client_id"), ["client_secret"] = Str(secret, "client_secret") };
        Assert.NotNull(secret["expires_at"]);
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(expiring)).StatusCode);

        Factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        await AssertOAuthErrorAsync(await ClientCredentialsAsync(expiring), HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(account)).StatusCode);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication_failed' AND details LIKE '%expired_secret%'"));
    }

    [Fact]
    public async Task AddSecret_ByACallerLackingTheAccountsScopes_Returns403AndAddsNothing()
    {
        var (session, account) = await NewServiceAccountAsync(["profile", "api_keys:read"]);
        var narrow = await ReadObjectAsync(await PostJsonAsync(
            "/api/v1/auth/api-keys", new { name = "only service accounts", permissions = new[] { "service_accounts:write" } }, Str(session, "token")));

        var response = await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, Str(narrow, "key"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_account_secrets"));
    }

    [Fact]
    public async Task AddSecret_BeyondTheLimit_Returns409()
    {
        var (session, account) = await NewServiceAccountAsync();
        for (var i = 1; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, Str(session, "token"))).StatusCode);
        }

        var response = await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "conflict");
        Assert.Equal(5L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_account_secrets"));
    }

    [Fact]
    public async Task ApiKey_OfAServiceAccount_ActsAsTheAccountWithItsScopesOnly()
    {
        var (session, account) = await NewServiceAccountAsync(["profile", "api_keys:read"]);
        var token = Str(session, "token");

        var wider = await PostJsonAsync($"{Accounts}/{Str(account, "id")}/api-keys", new { name = "wide", permissions = new[] { "audit:read" } }, token);
        var created = await PostJsonAsync($"{Accounts}/{Str(account, "id")}/api-keys", new { name = "sa key", permissions = new[] { "profile", "api_keys:read" } }, token);

        await AssertProblemAsync(wider, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await ReadObjectAsync(created);
        Assert.Matches(@"^ap_[0-9A-Za-z]{49}$", Str(key, "key"));
        var verify = await ReadObjectAsync(await GetAsync("/api/v1/auth/verify", Str(key, "key")));
        Assert.Equal("api_key", Str(verify, "method"));
        Assert.Equal(Str(account, "client_id"), Str(verify, "subject"));
        Assert.Equal(Str(account, "client_id"), Str(verify, "client_id"));
        var me = await ReadObjectAsync(await GetAsync("/api/v1/auth/me", Str(key, "key")));
        Assert.Equal(Str(account, "id"), Str(me, "id"));
        Assert.Equal("service_account", Str(me, "role"));
        // It manages no user account: the user-account calls refuse it, never with a 500.
        await AssertProblemAsync(await GetAsync("/api/v1/auth/api-keys", Str(key, "key")), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await GetAsync(Accounts, Str(key, "key")), HttpStatusCode.Forbidden, "forbidden");
        var narrow = await ReadObjectAsync(await PostJsonAsync($"{Accounts}/{Str(account, "id")}/api-keys", new { name = "narrow", permissions = new[] { "api_keys:read" } }, token));
        await AssertProblemAsync(await GetAsync("/api/v1/auth/me", Str(narrow, "key")), HttpStatusCode.Forbidden, "insufficient_scope");
        // The owner's own list does not show the account's keys; the account's list does, without their values.
        Assert.Empty(await ReadArrayAsync(await GetAsync("/api/v1/auth/api-keys", token)));
        var listed = await ReadArrayAsync(await GetAsync($"{Accounts}/{Str(account, "id")}/api-keys", token));
        Assert.Equal(["narrow", "sa key"], listed.Select(k => Str(k, "name")).Order(StringComparer.Ordinal).ToArray());
        Assert.DoesNotContain(Str(key, "key"), listed.ToJsonString(), StringComparison.Ordinal);
        var (_, stranger) = await NewSessionAsync();
        await AssertProblemAsync(await GetAsync($"{Accounts}/{Str(account, "id")}/api-keys", Str(stranger, "token")), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Create_WithTwoFactorOn_NeedsStepUp()
    {
        var (email, session) = await NewSessionAsync();
        var setup = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/2fa/setup", new { current_password = Password }, Str(session, "token")));
        var code = IndependentTotp.Code(Str(setup, "secret"), Factory.Clock.GetUtcNow(), 0);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/api/v1/auth/2fa/enable", new { code, current_password = Password }, Str(session, "token"))).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var refreshed = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }));
        Factory.Clock.Advance(TimeSpan.FromMinutes(11)); // the enrolment is no fresh proof any more

        var without = await PostJsonAsync(Accounts, new { name = "needs otp", scopes = new[] { "profile" } }, Str(refreshed, "token"));
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts) { Content = System.Net.Http.Json.JsonContent.Create(new { name = "with otp", scopes = new[] { "profile" } }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Str(refreshed, "token"));
        request.Headers.Add("X-2FA-Code", IndependentTotp.Code(Str(setup, "secret"), Factory.Clock.GetUtcNow(), 0));
        var with = await Client.SendAsync(request);

        await AssertProblemAsync(without, HttpStatusCode.Forbidden, "mfa_required");
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_accounts"));
        _ = email;
    }

    [Fact]
    public async Task Changes_AreAudited()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = Str(session, "token");
        var secret = await ReadObjectAsync(await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, token));
        await DeleteAsync($"{Accounts}/{Str(account, "id")}/secrets/{Str(secret, "id")}", token);
        await DeleteAsync($"{Accounts}/{Str(account, "id")}", token);

        foreach (var type in new[] { "service_account.created", "service_account.secret_added", "service_account.secret_deleted", "service_account.deleted" })
        {
            Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
                "SELECT COUNT(*) FROM audit_events WHERE type = @t AND client_id = @c", ("@t", type), ("@c", Str(account, "client_id"))));
        }

        var events = await ReadArrayAsync(await GetAsync("/api/v1/audit-events?type=service_account.created", token));
        Assert.Contains("service_account.created", events.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_IsStoredOnlyAsHashAndNeverLogged()
    {
        var (session, account) = await NewServiceAccountAsync();
        var added = await ReadObjectAsync(await PostJsonAsync($"{Accounts}/{Str(account, "id")}/secrets", new { }, Str(session, "token")));
        var token = await ReadObjectAsync(await ClientCredentialsAsync(account));
        await ClientCredentialsAsync(new JsonObject { ["client_id"] = Str(account, "client_id"), ["client_secret"] = "wrong-" + Str(added, "client_secret") });

        var database = await Factory.Database.DumpAllTextAsync();
        foreach (var secret in new[] { Str(account, "client_secret"), Str(added, "client_secret"), Str(token, "access_token") })
        {
            Assert.DoesNotContain(secret, database, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, Factory.Logs.AllText, StringComparison.Ordinal);
        }

        var hashes = await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM service_account_secrets WHERE LENGTH(secret_hash) = 64");
        Assert.Equal(2L, hashes);
        Assert.Contains("service_account.created", Factory.Logs.AllText, StringComparison.Ordinal);
    }
}

public sealed class ServiceAccountTestsOnSqlite(SqliteApiFixture fixture) : ServiceAccountTests<SqliteApiFixture>(fixture);

public sealed class ServiceAccountTestsOnPostgres(PostgresApiFixture fixture) : ServiceAccountTests<PostgresApiFixture>(fixture);
