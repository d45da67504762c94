// Longer than 150 lines because the per-address limit and the key-lookup budget share one app, its proxy and its counters.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// RL-02, RL-03 and SPEC section 2's throttling: 429 with Retry-After, per IPv4 address or IPv6
/// /64, before any password hash; and the budget of API-key lookups that miss memory (issue 8).
/// Every client has an address of its own, most of them behind the one trusted proxy, so each
/// test spends partitions no other test touches (the limiters keep real time, not the test clock).
/// </summary>
public abstract class ThrottlingTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ThrottlingFixture
{
    private const string Verify = "/api/v1/auth/verify";
    private const string KeyReads = "SELECT api_keys";

    private WorkCounters Work => Fixture.Work;

    private HttpClient Behind(string address) => ClientAt.Behind(Factory, ThrottlingFixture.Proxy, address);

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, int i) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"nobody{i}@example.com", password = "some password guess" });

    private string MadeUpKey() => Factory.Services.GetRequiredService<IApiKeyGenerator>().Generate().Key;

    private static async Task<HttpResponseMessage> VerifyWithKeyAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Verify);
        request.Headers.Add("X-API-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> VerifyWithTokenAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Verify);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {response.Headers.RetryAfter}");
    }

    [Fact]
    public async Task Login_OverTheLimit_Returns429WithRetryAfterAndHashesNothing()
    {
        using var client = Behind("203.0.113.10");
        Work.Clear();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 3; i++)
        {
            answers.Add(await LoginAsync(client, i));
        }

        Assert.All(answers.Take(ThrottlingFixture.PermitLimit), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        foreach (var limited in answers.Skip(ThrottlingFixture.PermitLimit))
        {
            await AssertRateLimitedAsync(limited);
        }

        // A throttled attempt never reached the handler: only the admitted ones were hashed and audited.
        Assert.Equal(ThrottlingFixture.PermitLimit, Work.Verifications);
        var audited = await Fixture.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'login.failed'");
        Assert.Equal(ThrottlingFixture.PermitLimit, audited);
    }

    [Fact]
    public async Task PasswordGrant_OverTheLimit_Returns429WithRetryAfterAndHashesNothing_OtherGrantsAreNotHeldToIt()
    {
        // The token endpoint serves every grant at one URL: the password grant, which costs a hash
        // like a login, has the login's budget per address; client credentials have none.
        using var adminClient = Behind("203.0.113.90");
        var login = await adminClient.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApiFactory.AdminEmail, password = AuthApiFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/oauth/clients")
        {
            Content = JsonContent.Create(new
            {
                name = "Our own app", type = "confidential", redirect_uris = new[] { "https://own.example.com/cb" },
                grant_types = new[] { "password", "client_credentials" }, scopes = new[] { "profile" }, first_party = true,
            }),
        };
        create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]!);
        var created = await adminClient.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var app = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var basic = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{app["client_id"]}:{app["client_secret"]}"));

        using var client = Behind("203.0.113.91");
        Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] form)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
            {
                Content = new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);
            return client.SendAsync(request);
        }

        Work.Clear();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 2; i++)
        {
            answers.Add(await TokenAsync(("grant_type", "password"), ("username", $"nobody{i}@example.com"), ("password", "some password guess")));
        }

        Assert.All(answers.Take(ThrottlingFixture.PermitLimit), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        foreach (var limited in answers.Skip(ThrottlingFixture.PermitLimit))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal("temporarily_unavailable", (string)(await limited.Content.ReadFromJsonAsync<JsonObject>())!["error"]!);
            Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {limited.Headers.RetryAfter}");
        }

        Assert.Equal(ThrottlingFixture.PermitLimit, Work.Verifications);
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync(("grant_type", "client_credentials"))).StatusCode);
        }
    }

    [Fact]
    public async Task Login_OneAddressThrottled_AnotherAddressIsNot()
    {
        using var a = Behind("203.0.113.20");
        using var b = Behind("203.0.113.21");
        for (var i = 0; i < ThrottlingFixture.PermitLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(a, i)).StatusCode);
        }

        await AssertRateLimitedAsync(await LoginAsync(a, 99));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(b, 99)).StatusCode);
    }

    [Fact]
    public async Task Login_SameIpv6Slash64SharesTheLimit_OtherSlash64AndIpv4HaveTheirOwn()
    {
        string[] oneSlash64 = ["2001:db8:20:1::1", "2001:db8:20:1:ffff:ffff:ffff:fffe", "2001:db8:20:1::3"];
        foreach (var address in oneSlash64)
        {
            using var client = Behind(address);
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, 1)).StatusCode);
        }

        using var sameSlash64 = Behind("2001:db8:20:1::4");
        using var otherSlash64 = Behind("2001:db8:20:2::1");
        using var ipv4 = Behind("203.0.113.22");
        await AssertRateLimitedAsync(await LoginAsync(sameSlash64, 1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(otherSlash64, 1)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(ipv4, 1)).StatusCode);
    }

    [Fact]
    public async Task Login_NewForwardedForEachTimeFromAnUntrustedConnection_StaysLimited()
    {
        // RL-02: from an address that is not the trusted proxy, X-Forwarded-For is ignored...
        using var untrusted = ClientAt.Connection(Factory, "198.51.100.40");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
            {
                Content = JsonContent.Create(new { email = $"nobody{i}@example.com", password = "some password guess" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{100 + i}");
            statuses.Add((await untrusted.SendAsync(request)).StatusCode);
        }

        // ...while the same header from the proxy does name the client (so the test can tell the two apart).
        var proxied = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 3; i++)
        {
            using var client = Behind($"203.0.113.{110 + i}");
            proxied.Add((await LoginAsync(client, i)).StatusCode);
        }

        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.Unauthorized, ThrottlingFixture.PermitLimit), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)],
            statuses);
        Assert.All(proxied, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    [Fact]
    public async Task Register_UnderAFlood_Returns429()
    {
        using var client = Behind("203.0.113.30");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 3; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password = "a perfectly fine passphrase", name = "Flood" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.Created, ThrottlingFixture.PermitLimit), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)],
            statuses);
    }

    [Fact]
    public async Task CreateApiKey_UnderAFlood_Returns429()
    {
        var token = await SessionFromAsync("203.0.113.41");
        using var client = Behind("203.0.113.40");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 2; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = $"flood {i}", permissions = new[] { "profile" } })).StatusCode);
        }

        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.Created, ThrottlingFixture.PermitLimit), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)],
            statuses);
    }

    [Fact]
    public async Task CreateApiKey_FromAThrottledAddressWithMadeUpKeys_Answers429BeforeAnyKeyIsRead()
    {
        using var client = Behind("203.0.113.45");
        for (var i = 0; i < ThrottlingFixture.PermitLimit; i++)
        {
            await LoginAsync(client, i);
        }

        Work.Clear();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys")
            {
                Content = JsonContent.Create(new { name = "guess", permissions = new[] { "profile" } }),
            };
            request.Headers.Add("X-API-Key", MadeUpKey());
            await AssertRateLimitedAsync(await client.SendAsync(request));
        }

        // The limiter runs before authentication: a throttled request costs no credential check.
        Assert.Equal(0, Work.Count(KeyReads));
    }

    [Fact]
    public async Task Refresh_IsNotLimitedPerAddress()
    {
        using var client = Behind("203.0.113.50");
        for (var i = 0; i < ThrottlingFixture.PermitLimit + 3; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = $"unknown-{i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Verify_MadeUpKeysPastTheLookupBudget_Answer429AndReadTheDatabaseNoMore()
    {
        using var client = Behind("203.0.113.60");
        Work.Clear();
        var keys = Enumerable.Range(0, ThrottlingFixture.LookupBudget + 3).Select(_ => MadeUpKey()).ToList();

        var answers = new List<HttpResponseMessage>();
        foreach (var key in keys)
        {
            answers.Add(await VerifyWithKeyAsync(client, key));
        }

        foreach (var refused in answers.Take(ThrottlingFixture.LookupBudget))
        {
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "invalid_api_key");
        }

        foreach (var limited in answers.Skip(ThrottlingFixture.LookupBudget))
        {
            await AssertRateLimitedAsync(limited);
        }

        Assert.Equal(ThrottlingFixture.LookupBudget, Work.Count(KeyReads));

        // A key already found unknown is answered from memory, budget or not; an anonymous endpoint
        // carrying made-up keys is served without reading them.
        await AssertProblemAsync(await VerifyWithKeyAsync(client, keys[0]), HttpStatusCode.Unauthorized, "invalid_api_key");
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks.json");
            request.Headers.Add("X-API-Key", MadeUpKey());
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(ThrottlingFixture.LookupBudget, Work.Count(KeyReads));
    }

    [Fact]
    public async Task Verify_SameSlash64SharesTheLookupBudget_OtherSlash64AndIpv4HaveTheirOwn()
    {
        Work.Clear();
        for (var i = 1; i <= ThrottlingFixture.LookupBudget; i++)
        {
            using var host = Behind($"2001:db8:60:1::{i:x}");
            await AssertProblemAsync(await VerifyWithKeyAsync(host, MadeUpKey()), HttpStatusCode.Unauthorized, "invalid_api_key");
        }

        using var sameSlash64 = Behind("2001:db8:60:1:abcd::1");
        using var otherSlash64 = Behind("2001:db8:60:2::1");
        using var ipv4 = Behind("203.0.113.61");
        await AssertRateLimitedAsync(await VerifyWithKeyAsync(sameSlash64, MadeUpKey()));
        await AssertProblemAsync(await VerifyWithKeyAsync(otherSlash64, MadeUpKey()), HttpStatusCode.Unauthorized, "invalid_api_key");
        await AssertProblemAsync(await VerifyWithKeyAsync(ipv4, MadeUpKey()), HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(ThrottlingFixture.LookupBudget + 2, Work.Count(KeyReads));
    }

    [Fact]
    public async Task Verify_ValidKeyAndJwtPastTheLookupBudget_AreStillServedButAKeyNotInMemoryWaits()
    {
        var token = await SessionFromAsync("203.0.113.71");
        var key = await CreateKeyFromAsync("203.0.113.72", token);
        var notYetSeen = await CreateKeyFromAsync("203.0.113.73", token);
        using var gateway = Behind("203.0.113.70");
        Work.Clear();
        Assert.Equal(HttpStatusCode.OK, (await VerifyWithKeyAsync(gateway, key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await VerifyWithTokenAsync(gateway, token)).StatusCode);

        // Made-up keys spend what is left of the gateway address's budget.
        while (Work.Count(KeyReads) < ThrottlingFixture.LookupBudget)
        {
            await AssertProblemAsync(await VerifyWithKeyAsync(gateway, MadeUpKey()), HttpStatusCode.Unauthorized, "invalid_api_key");
        }

        await AssertRateLimitedAsync(await VerifyWithKeyAsync(gateway, MadeUpKey()));

        // The key and the token answered from memory are served as before...
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await VerifyWithKeyAsync(gateway, key)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await VerifyWithTokenAsync(gateway, token)).StatusCode);
        }

        // ...while a real key this instance has not seen lately needs a read: it waits for the window, like a made-up one.
        await AssertRateLimitedAsync(await VerifyWithKeyAsync(gateway, notYetSeen));
        Assert.Equal(ThrottlingFixture.LookupBudget, Work.Count(KeyReads));
    }

    private async Task<string> SessionFromAsync(string address)
    {
        using var client = Behind(address);
        var email = NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Throttled" })).StatusCode);
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return Str(await ReadObjectAsync(login), "token");
    }

    private async Task<string> CreateKeyFromAsync(string address, string token)
    {
        using var client = Behind(address);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await client.PostAsJsonAsync("/api/v1/auth/api-keys", new { name = "gateway", permissions = new[] { "profile" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Str(await ReadObjectAsync(response), "key");
    }
}

/// <summary>
/// The app behind one trusted proxy, with 3 calls per address to the throttled endpoints and 5
/// API-key lookups per address that miss memory, both per 10 minutes, and counters of its work.
/// </summary>
public abstract class ThrottlingFixture(DatabaseKind kind) : ApiFixture(kind)
{
    public const string Proxy = "192.0.2.30";
    public const int PermitLimit = 3;
    public const int LookupBudget = 5;

    public WorkCounters Work { get; } = new();

    protected override AuthApiFactory CreateFactory(TestDatabase database) => new(database, new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
        ["RateLimiting:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "600",
        ["RateLimiting:CredentialLookupLimit"] = LookupBudget.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:CredentialLookupWindowSeconds"] = "600",
    }, Work.AddTo);
}

public sealed class ThrottlingOnSqliteFixture() : ThrottlingFixture(DatabaseKind.Sqlite);

public sealed class ThrottlingOnPostgresFixture() : ThrottlingFixture(DatabaseKind.Postgres);

public sealed class ThrottlingTestsOnSqlite(ThrottlingOnSqliteFixture fixture) : ThrottlingTests<ThrottlingOnSqliteFixture>(fixture);

public sealed class ThrottlingTestsOnPostgres(ThrottlingOnPostgresFixture fixture) : ThrottlingTests<ThrottlingOnPostgresFixture>(fixture);
