// Longer than 150 lines because every endpoint of the client registry and each of its refusals is proven through HTTP here, on both databases.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>SPEC section 6, the client registry (<c>/api/v1/oauth/clients</c>), through HTTP.</summary>
public abstract class ClientRegistryTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Clients = "/api/v1/oauth/clients";

    private static object Confidential(string[]? scopes = null, string[]? grants = null, string[]? redirects = null) => new
    {
        name = "Acme dashboard",
        type = "confidential",
        redirect_uris = redirects ?? ["https://app.example.com/callback"],
        post_logout_redirect_uris = new[] { "https://app.example.com/" },
        grant_types = grants ?? ["authorization_code", "refresh_token", "client_credentials"],
        scopes = scopes ?? ["openid", "profile", "api_keys:read"],
    };

    private async Task<(JsonObject Session, JsonObject Client)> NewClientAsync(object? body = null, JsonObject? session = null)
    {
        session ??= (await NewSessionAsync()).Session;
        var response = await PostJsonAsync(Clients, body ?? Confidential(), Str(session, "token"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (session, await ReadObjectAsync(response));
    }

    private Task<long> CountAsync(string table) => Factory.Database.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}")!;

    private Task<HttpResponseMessage> PatchJsonAsync(string url, object body, string token) =>
        SendAsync(HttpMethod.Patch, url, JsonContent.Create(body), token);

    private static string Sha256(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>What the token endpoint will do: find the client by client_id and verify the secret's SHA-256.</summary>
    private async Task<bool> SecretWorksAsync(string clientId, string secret)
    {
        using var scope = Factory.Services.CreateScope();
        var client = await scope.ServiceProvider.GetRequiredService<IOAuthClientRepository>().FindByClientIdAsync(clientId, CancellationToken.None);
        return client is not null && client.VerifySecret(Sha256(secret), Factory.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Create_Confidential_AnswersTheSecretOnceAndNeverAgain()
    {
        var (session, client) = await NewClientAsync();

        var secret = Str(client, "client_secret");
        Assert.Matches("^oc_[0-9A-Za-z]{32}$", Str(client, "client_id"));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal("confidential", Str(client, "type"));
        Assert.True((bool)client["require_consent"]!);
        Assert.False((bool)client["first_party"]!);
        Assert.Equal(["openid", "profile", "api_keys:read"], client["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.Single(client["secrets"]!.AsArray());
        var list = await GetAsync(Clients, Str(session, "token"));
        var one = await GetAsync($"{Clients}/{Str(client, "id")}", Str(session, "token"));
        var listText = await list.Content.ReadAsStringAsync();
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, oneText, StringComparison.Ordinal);
        Assert.DoesNotContain("client_secret", oneText, StringComparison.Ordinal);
        Assert.Single(JsonNode.Parse(listText)!.AsArray());
        Assert.True(await SecretWorksAsync(Str(client, "client_id"), secret));
        Assert.False(await SecretWorksAsync(Str(client, "client_id"), secret + "x"));
    }

    [Fact]
    public async Task Create_Public_HasNoSecretAndAcceptsNativeRedirects()
    {
        var (_, client) = await NewClientAsync(new
        {
            name = "Acme CLI",
            type = "public",
            redirect_uris = new[] { "http://127.0.0.1/callback", "http://[::1]:8400/cb", "http://localhost:3000/cb", "com.example.app:/oauth2redirect" },
            scopes = new[] { "openid", "profile" },
            require_consent = false,
        });

        Assert.Null(client["client_secret"]);
        Assert.Empty(client["secrets"]!.AsArray());
        Assert.Equal("public", Str(client, "type"));
        Assert.False((bool)client["require_consent"]!);
        Assert.Equal(["authorization_code", "refresh_token"], client["grant_types"]!.AsArray().Select(g => (string)g!).ToArray());
        Assert.Equal(0L, await CountAsync("oauth_client_secrets"));
    }

    [Fact]
    public async Task Secret_IsStoredOnlyAsHashAndNeverLogged()
    {
        var (session, client) = await NewClientAsync();
        var secret = Str(client, "client_secret");
        var rotated = await ReadObjectAsync(await PostJsonAsync($"{Clients}/{Str(client, "id")}/rotate-secret", new { }, Str(session, "token")));
        var second = Str(rotated, "client_secret");

        var database = await Factory.Database.DumpAllTextAsync();
        foreach (var s in new[] { secret, second })
        {
            Assert.DoesNotContain(s, database, StringComparison.Ordinal);
            Assert.DoesNotContain(s, Factory.Logs.AllText, StringComparison.Ordinal);
        }

        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM oauth_client_secrets WHERE secret_hash = @h", ("@h", Sha256(second))));
        Assert.Contains(Str(client, "client_id"), database, StringComparison.Ordinal);
        Assert.Contains("oauth_client.created", Factory.Logs.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com/callback#frag", "confidential")]
    [InlineData("/callback", "confidential")]
    [InlineData("callback", "confidential")]
    [InlineData("http://app.example.com/callback", "confidential")]
    [InlineData("https://*.example.com/callback", "confidential")]
    [InlineData("https://app.example.com/*", "public")]
    [InlineData("javascript:alert(1)", "public")]
    [InlineData("data:text/html,hi", "public")]
    [InlineData("com.example.app:/callback", "confidential")]
    [InlineData("https://user:pw@app.example.com/cb", "confidential")]
    [InlineData("https://exämple.com/cb", "confidential")]
    [InlineData("https://app.example.com/a b", "confidential")]
    [InlineData("", "public")]
    public async Task Create_WithARefusedRedirectUri_Returns400AndStoresNothing(string uri, string type)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(
            Clients, new { name = "bad", type, redirect_uris = new[] { uri }, grant_types = new[] { "authorization_code" }, scopes = new[] { "profile" } }, Str(session, "token"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["redirect_uris[0]"]);
        Assert.Equal(0L, await CountAsync("oauth_clients"));
    }

    [Theory]
    [InlineData("confidential", new[] { "implicit" }, "grant_types[0]")]
    [InlineData("public", new[] { "client_credentials" }, "grant_types")]
    [InlineData("confidential", new[] { "password" }, "grant_types")]
    [InlineData("confidential", new[] { "refresh_token", "client_credentials" }, "grant_types")]
    [InlineData("confidential", new[] { "client_credentials", "client_credentials" }, "grant_types")]
    [InlineData("confidential", new string[0], "grant_types")]
    public async Task Create_WithRefusedGrantTypes_Returns400(string type, string[] grants, string field)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(
            Clients, new { name = "grants", type, redirect_uris = new[] { "https://app.example.com/cb" }, grant_types = grants, scopes = new[] { "profile" } }, Str(session, "token"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
        Assert.Equal(0L, await CountAsync("oauth_clients"));
    }

    [Fact]
    public async Task Create_AuthorizationCodeWithoutRedirectUri_Returns400OnRedirectUris()
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(Clients, new { name = "no redirect", type = "public", scopes = new[] { "profile" } }, Str(session, "token"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["redirect_uris"]);
    }

    [Fact]
    public async Task Create_WithAScopeTheCreatorLacks_Returns403AndStoresNothing()
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(Clients, Confidential(scopes: ["profile", "admin"]), Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal(0L, await CountAsync("oauth_clients"));
    }

    [Theory]
    [InlineData("no-such-scope")]
    [InlineData("Profile")]
    [InlineData("a b")]
    public async Task Create_WithAnUnknownScope_Returns400(string scope)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostJsonAsync(Clients, Confidential(scopes: ["profile", scope]), Str(session, "token"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["scopes[1]"]);
    }

    [Fact]
    public async Task FirstParty_OnlyAnAdministratorMarksItAndOnlyItGetsThePasswordGrant()
    {
        var (_, session) = await NewSessionAsync();
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        var body = new
        {
            name = "Our own app", type = "confidential", redirect_uris = new[] { "https://own.example.com/cb" },
            grant_types = new[] { "password", "refresh_token" }, scopes = new[] { "profile" }, first_party = true,
        };

        var byUser = await PostJsonAsync(Clients, body, Str(session, "token"));
        var byAdmin = await PostJsonAsync(Clients, body, Str(admin, "token"));

        await AssertProblemAsync(byUser, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        var client = await ReadObjectAsync(byAdmin);
        Assert.True((bool)client["first_party"]!);
        var unmark = await PatchJsonAsync($"{Clients}/{Str(client, "id")}", new { first_party = false }, Str(admin, "token"));
        var problem = await AssertProblemAsync(unmark, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["grant_types"]);
    }

    [Fact]
    public async Task Update_ChangesTheGivenSettingsOnlyAndIsAudited()
    {
        var (session, client) = await NewClientAsync();
        var url = $"{Clients}/{Str(client, "id")}";

        var response = await PatchJsonAsync(
            url, new { name = "Renamed", redirect_uris = new[] { "https://app.example.com/cb2", "https://app.example.com/cb3" }, scopes = new[] { "profile" }, require_consent = false },
            Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await ReadObjectAsync(await GetAsync(url, Str(session, "token")));
        Assert.Equal("Renamed", Str(updated, "name"));
        Assert.Equal(["https://app.example.com/cb2", "https://app.example.com/cb3"], updated["redirect_uris"]!.AsArray().Select(u => (string)u!).ToArray());
        Assert.Equal(["https://app.example.com/"], updated["post_logout_redirect_uris"]!.AsArray().Select(u => (string)u!).ToArray());
        Assert.Equal(["profile"], updated["scopes"]!.AsArray().Select(u => (string)u!).ToArray());
        Assert.False((bool)updated["require_consent"]!);
        Assert.Equal(Str(client, "client_id"), Str(updated, "client_id"));
        var details = await Factory.Database.ScalarAsync<string>("SELECT details FROM audit_events WHERE type = 'oauth_client.updated'");
        Assert.Contains("redirect_uris", details!, StringComparison.Ordinal);
        Assert.Contains("require_consent", details!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"redirect_uris":["http://evil.example.com/cb"]}""", "redirect_uris[0]")]
    [InlineData("""{"redirect_uris":["com.example.app:/cb"]}""", "redirect_uris[0]")]
    [InlineData("""{"redirect_uris":[]}""", "redirect_uris")]
    [InlineData("""{"scopes":["admin"]}""", null)]
    [InlineData("""{"grant_types":["password"]}""", "grant_types")]
    [InlineData("""{"name":"   "}""", "name")]
    public async Task Update_WithARefusedSetting_IsRefusedAndChangesNothing(string body, string? field)
    {
        var (session, client) = await NewClientAsync();
        var url = $"{Clients}/{Str(client, "id")}";

        var response = await SendAsync(HttpMethod.Patch, url, new StringContent(body, Encoding.UTF8, "application/json"), Str(session, "token"));

        if (field is null)
        {
            await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        }
        else
        {
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
        }

        var after = await ReadObjectAsync(await GetAsync(url, Str(session, "token")));
        Assert.Equal(client["redirect_uris"]!.ToJsonString(), after["redirect_uris"]!.ToJsonString());
        Assert.Equal(client["scopes"]!.ToJsonString(), after["scopes"]!.ToJsonString());
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth_client.updated'"));
    }

    [Fact]
    public async Task Delete_RemovesTheClientWithItsSecretsConsentsAndCodes()
    {
        var (session, client) = await NewClientAsync();
        var clientId = Str(client, "client_id");
        await AddConsentAndCodeAsync(Guid.Parse(Str(session["user"], "id")), clientId);

        var delete = await DeleteAsync($"{Clients}/{Str(client, "id")}", Str(session, "token"));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertProblemAsync(await GetAsync($"{Clients}/{Str(client, "id")}", Str(session, "token")), HttpStatusCode.NotFound, "not_found");
        Assert.False(await SecretWorksAsync(clientId, Str(client, "client_secret")));
        foreach (var table in new[] { "oauth_clients", "oauth_client_secrets", "user_grants", "authorization_codes" })
        {
            Assert.Equal(0L, await CountAsync(table));
        }

        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth_client.deleted' AND client_id = @c", ("@c", clientId)));
    }

    private async Task AddConsentAndCodeAsync(Guid userId, string clientId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var now = Factory.Clock.GetUtcNow();
        db.UserGrants.Add(UserGrant.Grant(Guid.NewGuid(), userId, clientId, ScopeSet.Parse("openid profile"), now));
        db.AuthorizationCodes.Add(AuthorizationCode.Issue(
            Guid.NewGuid(), Sha256("code"), clientId, userId, "https://app.example.com/callback", ScopeSet.Parse("openid"),
            new string('a', 43), "S256", "n-1", now, ["pwd"], TimeSpan.FromSeconds(60), now));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Rotate_WithoutGrace_StopsTheOldSecretAtOnce()
    {
        var (session, client) = await NewClientAsync();
        var clientId = Str(client, "client_id");

        var response = await PostJsonAsync($"{Clients}/{Str(client, "id")}/rotate-secret", new { }, Str(session, "token"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var rotated = await ReadObjectAsync(response);
        Assert.Equal(clientId, Str(rotated, "client_id"));
        Assert.False(await SecretWorksAsync(clientId, Str(client, "client_secret")));
        Assert.True(await SecretWorksAsync(clientId, Str(rotated, "client_secret")));
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth_client.secret_rotated'"));
    }

    [Fact]
    public async Task Rotate_WithAGracePeriod_KeepsTheOldSecretUntilItEnds()
    {
        var (session, client) = await NewClientAsync();
        var clientId = Str(client, "client_id");

        var response = await PostJsonAsync($"{Clients}/{Str(client, "id")}/rotate-secret", new { previous_secret_expires_in = 3600 }, Str(session, "token"));

        var rotated = await ReadObjectAsync(response);
        Assert.True(await SecretWorksAsync(clientId, Str(client, "client_secret")));
        Assert.True(await SecretWorksAsync(clientId, Str(rotated, "client_secret")));
        var listed = await ReadObjectAsync(await GetAsync($"{Clients}/{Str(client, "id")}", Str(session, "token")));
        Assert.Equal(2, listed["secrets"]!.AsArray().Count);
        Factory.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.False(await SecretWorksAsync(clientId, Str(client, "client_secret")));
        Assert.True(await SecretWorksAsync(clientId, Str(rotated, "client_secret")));
    }

    [Theory]
    [InlineData("""{"previous_secret_expires_in":-1}""")]
    [InlineData("""{"previous_secret_expires_in":604801}""")]
    [InlineData("""{"previous_secret_expires_in":"soon"}""")]
    public async Task Rotate_WithABadGracePeriod_Returns400AndKeepsTheSecret(string body)
    {
        var (session, client) = await NewClientAsync();

        var response = await SendAsync(
            HttpMethod.Post, $"{Clients}/{Str(client, "id")}/rotate-secret", new StringContent(body, Encoding.UTF8, "application/json"), Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(await SecretWorksAsync(Str(client, "client_id"), Str(client, "client_secret")));
    }

    [Fact]
    public async Task Rotate_OfAPublicClient_Returns409()
    {
        var (session, client) = await NewClientAsync(new { name = "spa", type = "public", redirect_uris = new[] { "https://spa.example.com/cb" }, scopes = new[] { "openid" } });

        var response = await PostJsonAsync($"{Clients}/{Str(client, "id")}/rotate-secret", new { }, Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task AnotherUsersClient_IsNotFoundForEveryCall()
    {
        var (_, client) = await NewClientAsync();
        var (_, other) = await NewSessionAsync();
        var url = $"{Clients}/{Str(client, "id")}";
        var token = Str(other, "token");

        await AssertProblemAsync(await GetAsync(url, token), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await PatchJsonAsync(url, new { name = "mine now" }, token), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await PostJsonAsync($"{url}/rotate-secret", new { }, token), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await DeleteAsync(url, token), HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await ReadArrayAsync(await GetAsync(Clients, token)));
        Assert.True(await SecretWorksAsync(Str(client, "client_id"), Str(client, "client_secret")));
        await AssertProblemAsync(await GetAsync($"{Clients}/{Guid.NewGuid()}", token), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Admin_SeesAndDeletesEveryonesClients()
    {
        var (_, client) = await NewClientAsync();
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);

        var all = await ReadArrayAsync(await GetAsync(Clients, Str(admin, "token")));
        var delete = await DeleteAsync($"{Clients}/{Str(client, "id")}", Str(admin, "token"));

        Assert.Single(all);
        Assert.Null(all[0]!["client_secret"]);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var actor = await Factory.Database.ScalarAsync<string>("SELECT CAST(actor_id AS TEXT) FROM audit_events WHERE type = 'oauth_client.deleted'");
        Assert.Equal(Str(admin["user"], "id"), actor, ignoreCase: true);
    }

    [Fact]
    public async Task CallsWithoutTheClientScopes_Return403InsufficientScope()
    {
        var (_, session) = await NewSessionAsync();
        var key = Str(await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/api-keys", new { name = "narrow", permissions = new[] { "profile" } }, Str(session, "token"))), "key");

        foreach (var (method, scope) in new[] { (HttpMethod.Get, Scopes.ClientsRead), (HttpMethod.Post, Scopes.ClientsWrite) })
        {
            using var request = new HttpRequestMessage(method, Clients) { Content = method == HttpMethod.Post ? JsonContent.Create(Confidential()) : null };
            request.Headers.Add("X-API-Key", key);
            var response = await Client.SendAsync(request);
            await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
            Assert.Contains($"scope=\"{scope}\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(0L, await CountAsync("oauth_clients"));
    }

    [Fact]
    public async Task Create_WithoutCredentialsOrFromALoggedOutSession_Returns401()
    {
        var (_, session) = await NewSessionAsync();
        await PostJsonAsync("/api/v1/auth/logout", new { refresh_token = Str(session, "refresh_token") });

        await AssertProblemAsync(await PostJsonAsync(Clients, Confidential()), HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(await PostJsonAsync(Clients, Confidential(), Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(0L, await CountAsync("oauth_clients"));
    }

    [Fact]
    public async Task Create_IsAuditedWithTheClientId()
    {
        var (_, client) = await NewClientAsync();

        var row = await Factory.Database.ScalarAsync<string>(
            "SELECT details FROM audit_events WHERE type = 'oauth_client.created' AND client_id = @c", ("@c", Str(client, "client_id")));

        Assert.Contains("confidential", row!, StringComparison.Ordinal);
        Assert.Contains(Str(client, "id"), row!, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string> HostileBodies() => new()
    {
        """{"name":"x","type":"public","redirect_uris":"https://a.example.com/cb","scopes":["profile"]}""",
        """{"name":123,"type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"]}""",
        """{"name":"x","type":"public","redirect_uris":[null],"scopes":["profile"]}""",
        """{"name":"x","type":"public","redirect_uris":[["https://a.example.com/cb"]],"scopes":["profile"]}""",
        """{"name":"x","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":[null]}""",
        """{"name":"x","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"],"grant_types":[null]}""",
        """{"name":"x","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"],"require_consent":"no"}""",
        """{"name":"x","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"],"client_secret":"mine"}""",
        """{"name":"x","type":"Public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"]}""",
        """{"name":"x","type":null,"redirect_uris":["https://a.example.com/cb"],"scopes":["profile"]}""",
        """{"name":"\u202Eevil","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"]}""",
        """{"name":"a\u0000b","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"]}""",
        """{"name":"x","type":"public","redirect_uris":["https://a.example.com/\uD800"],"scopes":["profile"]}""",
        "[1,2,3]",
        "\"just a string\"",
        "{\"name\":",
        $$"""{"name":"x","type":"public","redirect_uris":[{{string.Join(',', Enumerable.Range(0, 2000).Select(i => $"\"https://a.example.com/{i}\""))}}],"scopes":["profile"]}""",
        $$"""{"name":"x","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":[{{string.Join(',', Enumerable.Range(0, 500).Select(_ => "\"profile\""))}}]}""",
        $$"""{"name":"{{new string('n', 5000)}}","type":"public","redirect_uris":["https://a.example.com/cb"],"scopes":["profile"]}""",
        $$"""{"name":"x","type":"public","redirect_uris":["https://a.example.com/{{new string('p', 3000)}}"],"scopes":["profile"]}""",
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Create_WithHostileInput_Returns400AndStoresNothing(string body)
    {
        var (_, session) = await NewSessionAsync();

        var response = await PostRawAsync(Clients, body, Str(session, "token"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, await CountAsync("oauth_clients"));
    }

    [Theory]
    [InlineData("""{"redirect_uris":"https://a.example.com"}""")]
    [InlineData("""{"scopes":[1]}""")]
    [InlineData("""{"type":"public"}""")]
    [InlineData("""{"require_consent":null,"first_party":"yes"}""")]
    public async Task Update_WithHostileInput_Returns400(string body)
    {
        var (session, client) = await NewClientAsync();

        var response = await SendAsync(
            HttpMethod.Patch, $"{Clients}/{Str(client, "id")}", new StringContent(body, Encoding.UTF8, "application/json"), Str(session, "token"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }
}

public sealed class ClientRegistryTestsOnSqlite(SqliteApiFixture fixture) : ClientRegistryTests<SqliteApiFixture>(fixture);

public sealed class ClientRegistryTestsOnPostgres(PostgresApiFixture fixture) : ClientRegistryTests<PostgresApiFixture>(fixture);
