using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Extensions;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>Failed client authentications at the token endpoint are throttled per client address (SPEC section 2, RL-03).</summary>
public abstract class ClientAuthenticationThrottleTests<TFixture>(TFixture fixture) : OAuthTestBase<TFixture>(fixture)
    where TFixture : ThrottleFixture
{
    private HttpClient From(string address) => ProxiedClients.From(Factory, address, ThrottleFixture.Proxy);

    /// <summary>
    /// A service account set up from an address of its own (the fixture's budget of 5 per minute
    /// also limits registration, login and creation per address, and the fixture is shared).
    /// </summary>
    private new async Task<(JsonObject Session, JsonObject Account)> NewServiceAccountAsync(string[]? scopes = null, object? body = null)
    {
        var owner = From($"198.18.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}");
        var email = NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Owner" })).StatusCode);
        var session = (await (await owner.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })).Content.ReadFromJsonAsync<JsonObject>())!;
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts) { Content = JsonContent.Create(new { name = "throttled", scopes = scopes ?? ["profile"] }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Str(session, "token"));
        var created = await owner.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        _ = body;
        return (session, await ReadObjectAsync(created));
    }

    [Fact]
    public async Task Token_AfterTheBudgetOfFailuresFromOneAddress_Returns429ThereOnly()
    {
        var (_, account) = await NewServiceAccountAsync();
        var attacker = From("203.0.113.7");
        var form = new[] { P("grant_type", "client_credentials") };

        for (var i = 0; i < ThrottleFixture.Limit; i++)
        {
            await AssertOAuthErrorAsync(await TokenAsync(form, (Str(account, "client_id"), $"guess-{i}"), attacker), HttpStatusCode.Unauthorized, "invalid_client");
        }

        var throttled = await TokenAsync(form, (Str(account, "client_id"), Str(account, "client_secret")), attacker);
        var sameSlash64 = await TokenAsync(form, (Str(account, "client_id"), "guess"), From("2001:db8:1:2::1"));
        var elsewhere = await TokenAsync(form, (Str(account, "client_id"), Str(account, "client_secret")), From("198.51.100.9"));

        await AssertOAuthErrorAsync(throttled, HttpStatusCode.TooManyRequests, "temporarily_unavailable");
        Assert.NotNull(throttled.Headers.RetryAfter);
        await AssertOAuthErrorAsync(sameSlash64, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Token_ParallelBurstOfWrongSecrets_GetsNoMoreThanTheBudgetEvaluated_ThenRecoversAfterTheWindow()
    {
        var (_, account) = await NewServiceAccountAsync();
        var address = $"203.0.113.{Random.Shared.Next(100, 200)}";
        var attacker = From(address);
        var form = new[] { P("grant_type", "client_credentials") };

        var burst = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => TokenAsync(form, (Str(account, "client_id"), $"parallel-guess-{i}"), attacker)));

        // Only the budget's worth of guesses reached the secret comparison (answered invalid_client); the rest were refused unread.
        Assert.Equal(ThrottleFixture.Limit, burst.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(60 - ThrottleFixture.Limit, burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        var rightSecret = await TokenAsync(form, (Str(account, "client_id"), Str(account, "client_secret")), attacker);
        await AssertOAuthErrorAsync(rightSecret, HttpStatusCode.TooManyRequests, "temporarily_unavailable");
        Assert.NotNull(rightSecret.Headers.RetryAfter);

        Factory.Clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(form, (Str(account, "client_id"), Str(account, "client_secret")), From(address))).StatusCode);
    }

    [Fact]
    public async Task Token_ParallelBurstOfRightSecrets_IsNeverThrottled()
    {
        var (_, account) = await NewServiceAccountAsync();
        var client = From($"203.0.113.{Random.Shared.Next(10, 99)}");

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => TokenAsync([P("grant_type", "client_credentials")], (Str(account, "client_id"), Str(account, "client_secret")), client)));

        Assert.All(burst, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Token_SuccessfulGrants_SpendNoBudget()
    {
        var (_, account) = await NewServiceAccountAsync();
        var client = From("203.0.113.8");

        for (var i = 0; i < ThrottleFixture.Limit * 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync([P("grant_type", "client_credentials")], (Str(account, "client_id"), Str(account, "client_secret")), client)).StatusCode);
        }
    }

    [Fact]
    public async Task Token_IPv6_AddressesOfOneSlash64_ShareTheBudget()
    {
        var (_, account) = await NewServiceAccountAsync();
        for (var i = 0; i < ThrottleFixture.Limit; i++)
        {
            await TokenAsync([P("grant_type", "client_credentials")], (Str(account, "client_id"), "wrong"), From($"2001:db8:aa:bb::{i + 1:x}"));
        }

        var sameNetwork = await TokenAsync([P("grant_type", "client_credentials")], (Str(account, "client_id"), Str(account, "client_secret")), From("2001:db8:aa:bb:ffff::1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
    }
}

public abstract class ThrottleFixture(DatabaseKind kind) : ApiFixture(kind)
{
    public const string Proxy = "192.0.2.30";
    public const int Limit = 5;

    protected override AuthApiFactory CreateFactory(TestDatabase database) => new(database, new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
        ["RateLimiting:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}

public sealed class ThrottleOnSqliteFixture() : ThrottleFixture(DatabaseKind.Sqlite);

public sealed class ThrottleOnPostgresFixture() : ThrottleFixture(DatabaseKind.Postgres);

public sealed class ClientAuthenticationThrottleTestsOnSqlite(ThrottleOnSqliteFixture fixture) : ClientAuthenticationThrottleTests<ThrottleOnSqliteFixture>(fixture);

public sealed class ClientAuthenticationThrottleTestsOnPostgres(ThrottleOnPostgresFixture fixture) : ClientAuthenticationThrottleTests<ThrottleOnPostgresFixture>(fixture);
