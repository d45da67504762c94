using System.Net;
using System.Net.Http.Headers;
using AuthPlatform.Integration.Tests.Infrastructure;
using AuthPlatform.WebApi.Http;

namespace AuthPlatform.Integration.Tests.Http;

/// <summary>
/// Security headers on every answer (SPEC section 8): nosniff, no referrer, no framing, a CSP that
/// allows nothing for JSON, and no-store on every answer to a request that presented a credential.
/// </summary>
public abstract class SecurityHeadersTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Theory]
    [InlineData("GET", "/health/live", HttpStatusCode.OK)]
    [InlineData("GET", "/health/ready", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/auth/me", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/v1/no-such-thing", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/v1/auth/login", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "/api/v1/auth/login", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("GET", "/openapi/v1.json", HttpStatusCode.OK)]
    public async Task AnyAnswer_CarriesTheSecurityHeadersAndNoStore(string method, string url, HttpStatusCode status)
    {
        var response = await SendAsync(new HttpMethod(method), url, null, null);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore, $"{url}: Cache-Control is '{response.Headers.CacheControl}'");
    }

    [Fact]
    public async Task MalformedJsonProblem_CarriesTheSecurityHeadersAndNoStore()
    {
        var response = await PostRawAsync("/api/v1/auth/login", "{\"email\": ");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        AssertSecurityHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task AnswersToRequestsWithACredential_AreAllNoStore()
    {
        var (_, session) = await NewSessionAsync();
        var token = Str(session, "token");
        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("verify 200", await GetAsync("/api/v1/auth/verify", token)),
            ("verify 401", await GetAsync("/api/v1/auth/verify", token[..^4] + "AAAA")),
            ("me 200", await GetAsync("/api/v1/auth/me", token)),
            ("api keys 200", await GetAsync("/api/v1/auth/api-keys", token)),
            ("sessions 200", await GetAsync("/api/v1/auth/sessions", token)),
            ("jwks with a token", await GetAsync("/.well-known/jwks.json", token)),
            ("health with a token", await GetAsync("/health/live", token)),
            ("access_token in the URL", await GetAsync($"/api/v1/auth/verify?access_token={token}")),
        };
        using var keyRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
        keyRequest.Headers.Add("X-API-Key", "ap_not-a-real-key");
        answers.Add(("X-API-Key 401", await Client.SendAsync(keyRequest)));

        Assert.All(answers, answer =>
        {
            AssertSecurityHeaders(answer.Response);
            Assert.True(answer.Response.Headers.CacheControl?.NoStore, $"{answer.What}: Cache-Control is '{answer.Response.Headers.CacheControl}'");
            Assert.False(answer.Response.Headers.CacheControl?.Public, answer.What);
        });
        Assert.Equal(HttpStatusCode.OK, answers[0].Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, answers[1].Response.StatusCode);
    }

    /// <summary>The control of the rule above: without a credential the key set keeps the caching it chose.</summary>
    [Fact]
    public async Task Jwks_WithoutCredential_KeepsItsPublicCaching()
    {
        var response = await GetAsync("/.well-known/jwks.json");

        AssertSecurityHeaders(response);
        Assert.Equal(new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromMinutes(5) }, response.Headers.CacheControl);
    }

    [Fact]
    public async Task Preflight_WithNoOriginsConfigured_GetsNoCorsHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/auth/login");
        preflight.Headers.Add("Origin", "https://dashboard.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await Client.SendAsync(preflight);

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        AssertSecurityHeaders(response);
    }

    /// <summary>nosniff, no referrer, DENY, and the JSON policy (default-src 'none'; frame-ancestors 'none').</summary>
    public static void AssertSecurityHeaders(HttpResponseMessage response, string policy = SecurityHeaders.ApiPolicy)
    {
        var where = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", where);
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", where);
        Assert.True(Header(response, "X-Frame-Options") == "DENY", where);
        Assert.True(Header(response, "Content-Security-Policy") == policy, $"{where}: {Header(response, "Content-Security-Policy")}");
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}

public sealed class SecurityHeadersTestsOnSqlite(SqliteApiFixture fixture) : SecurityHeadersTests<SqliteApiFixture>(fixture);

public sealed class SecurityHeadersTestsOnPostgres(PostgresApiFixture fixture) : SecurityHeadersTests<PostgresApiFixture>(fixture);
