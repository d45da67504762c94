using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Infrastructure.Tokens;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static AuthPlatform.Integration.Tests.Observability.CounterDeltas;

namespace AuthPlatform.Integration.Tests.Observability;

/// <summary>
/// Where the counters come from besides the sign-in events: the commit (a rolled-back command
/// counts nothing), the API-key cache, the rate limiter, ASP.NET Core's request duration; and
/// where the scrape endpoint is.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsPipelineTests(SqliteMetricsFixture fixture) : ApiTestBase<SqliteMetricsFixture>(fixture)
{
    [Fact]
    public async Task Refresh_RolledBackAfterItsEventsWereDispatched_CountsNothingUntilItCommits()
    {
        var issuer = new FailingIssuer();
        await using var app = FreshApp(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton<JwtAccessTokenIssuer>();
            services.AddSingleton<IAccessTokenIssuer>(sp => issuer.Around(sp.GetRequiredService<JwtAccessTokenIssuer>()));
        }));
        using var client = app.CreateClient();
        var (_, session) = await NewSessionAsync();
        var before = await PrometheusScrape.ReadAsync(client);

        // The rotation is saved (its TokenRefreshed event dispatched) before the access token is
        // signed; signing fails, so the whole command rolls back.
        issuer.Fail = true;
        var failed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });
        var afterFailure = await PrometheusScrape.ReadAsync(client);
        issuer.Fail = false;
        var retried = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Empty(Between(before, afterFailure));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode); // rolled back: the same token still redeems once
        Assert.Equal(
            new Dictionary<string, double> { [Series("authplatform_tokens_issued_total", ("kind", "access"))] = 1, [Series("authplatform_tokens_issued_total", ("kind", "refresh"))] = 1 },
            Between(afterFailure, await PrometheusScrape.ReadAsync(client)));
    }

    [Fact]
    public async Task Verify_SameApiKeyTwice_CountsOneCacheMissThenOneHit()
    {
        await using var app = FreshApp();
        using var client = app.CreateClient();
        var (_, session) = await NewSessionAsync();
        var created = await PostJsonAsync("/api/v1/auth/api-keys", new { name = "metrics", permissions = new[] { "profile" } }, Str(session, "token"));
        var key = Str(await ReadObjectAsync(created), "key");
        var before = await PrometheusScrape.ReadAsync(client);

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
            request.Headers.Add("X-API-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(
            new Dictionary<string, double> { [Series("authplatform_api_keys_cache_lookups_total", ("result", "hit"))] = 1, [Series("authplatform_api_keys_cache_lookups_total", ("result", "miss"))] = 1 },
            Between(before, await PrometheusScrape.ReadAsync(client)));
    }

    [Fact]
    public async Task Login_OverTheRateLimit_CountsEachThrottledCall()
    {
        await using var app = FreshApp(web => web.UseSetting("RateLimiting:PermitLimit", "2"));
        using var client = app.CreateClient();
        var before = await PrometheusScrape.ReadAsync(client);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { email = NewEmail(), password = Password })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        Assert.Equal(
            new Dictionary<string, double> { [Series("authplatform_logins_failed_total", ("reason", "unknown_account"))] = 2, [Series("authplatform_requests_throttled_total", ("policy", "credentials"))] = 3 },
            Between(before, await PrometheusScrape.ReadAsync(client)));
    }

    [Fact]
    public async Task Login_AnyAnswer_RecordsTheRequestDurationByRouteAndStatus()
    {
        const string Count = "http_server_request_duration_seconds_count";
        (string, string)[] failedLogin = [("http_route", "api/v1/auth/login"), ("http_response_status_code", "401"), ("http_request_method", "POST")];
        await using var app = FreshApp();
        using var client = app.CreateClient();
        var before = await PrometheusScrape.ReadAsync(client);

        await client.PostAsJsonAsync("/api/v1/auth/login", new { email = NewEmail(), password = Password });
        await client.PostAsJsonAsync("/api/v1/auth/login", new { email = NewEmail(), password = Password });

        var after = await PrometheusScrape.ReadAsync(client);
        Assert.Equal(2, after.Sum(Count, failedLogin) - before.Sum(Count, failedLogin));
        Assert.Contains("http_server_request_duration_seconds_bucket", after.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPath_SetOrDisabled_MovesOrRemovesTheScrapeEndpoint()
    {
        await using var byDefault = FreshApp();
        await using var moved = FreshApp(web => web.UseSetting("Metrics:Path", "/internal/metrics"));
        await using var disabled = FreshApp(web => web.UseSetting("Metrics:Enabled", "false"));
        using var movedClient = moved.CreateClient();
        using var disabledClient = disabled.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await movedClient.GetAsync("/metrics")).StatusCode);
        var scrape = await PrometheusScrape.ReadAsync(movedClient, "/internal/metrics");

        Assert.Contains(scrape.Samples, s => s.Name == "http_server_request_duration_seconds_count");
        Assert.Equal(HttpStatusCode.NotFound, (await disabledClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await byDefault.CreateClient().GetAsync("/metrics")).StatusCode);
    }

    /// <summary>
    /// An app of its own over the fixture's database, scraped by this test alone: once an app in
    /// the process stops, an OpenTelemetry meter provider of another app drops the metrics it
    /// shared with it (same meter and instrument names), so no test here reads the fixture's app.
    /// </summary>
    private WebApplicationFactory<Program> FreshApp(Action<IWebHostBuilder>? configure = null) =>
        Factory.WithWebHostBuilder(web => configure?.Invoke(web));

    /// <summary>Signs as the real issuer does, or throws while <see cref="Fail"/> is set.</summary>
    private sealed class FailingIssuer
    {
        public volatile bool Fail;

        public IAccessTokenIssuer Around(IAccessTokenIssuer inner) => new Issuer(this, inner);

        private sealed class Issuer(FailingIssuer owner, IAccessTokenIssuer inner) : IAccessTokenIssuer
        {
            public Task<IssuedAccessToken> IssueAsync(AccessTokenRequest request, CancellationToken cancellationToken) =>
                owner.Fail ? throw new InvalidOperationException("Signing failed (test).") : inner.IssueAsync(request, cancellationToken);

            public Task<IssuedAccessToken> IssueForClientAsync(ClientAccessTokenRequest request, CancellationToken cancellationToken) =>
                owner.Fail ? throw new InvalidOperationException("Signing failed (test).") : inner.IssueForClientAsync(request, cancellationToken);
        }
    }
}
