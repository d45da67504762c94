using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using static AuthPlatform.Integration.Tests.Http.SecurityHeadersTests<AuthPlatform.Integration.Tests.Infrastructure.SqliteApiFixture>;

namespace AuthPlatform.Integration.Tests.Http;

/// <summary>HSTS and HTTPS redirection outside Development, configurable off; CORS only for the configured origins.</summary>
public sealed class HttpsAndCorsTests(HttpSecurityFixture fixture) : IClassFixture<HttpSecurityFixture>
{
    private const string OtherOrigin = "https://evil.example";

    [Fact]
    public async Task HttpsAnswer_OutsideDevelopment_CarriesHstsAsConfigured()
    {
        var response = await fixture.Client("https://auth.example.com").GetAsync("/health/live");

        Assert.Equal("max-age=15552000; includeSubDomains", Header(response, "Strict-Transport-Security"));
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task PlainHttpRequest_OutsideDevelopment_IsRedirectedPermanentlyToHttpsWithoutHsts()
    {
        var response = await fixture.Client("http://auth.example.com").GetAsync("/api/v1/auth/me?x=1");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(new Uri("https://auth.example.com/api/v1/auth/me?x=1"), response.Headers.Location);
        Assert.Null(Header(response, "Strict-Transport-Security"));
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Preflight_FromAllowedOrigin_AllowsItsMethodAndHeaders()
    {
        var response = await fixture.Client("https://auth.example.com").SendAsync(Preflight(HttpSecurityFixture.AllowedOrigin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpSecurityFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_FromOtherOrigin_GetsNoCorsHeaders()
    {
        var response = await fixture.Client("https://auth.example.com").SendAsync(Preflight(OtherOrigin));

        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Request_FromAllowedOrigin_IsAllowedAndMayReadTheChallenge()
    {
        var response = await fixture.Client("https://auth.example.com").SendAsync(WithOrigin(HttpSecurityFixture.AllowedOrigin));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpSecurityFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("WWW-Authenticate", Header(response, "Access-Control-Expose-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Origin", Header(response, "Vary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_FromOtherOrigin_GetsNoAllowOrigin()
    {
        var response = await fixture.Client("https://auth.example.com").SendAsync(WithOrigin(OtherOrigin));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task HttpsSwitchedOff_BehindATlsProxy_NeitherRedirectsNorSendsHsts()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?>
        {
            ["Https:Redirect"] = "false",
            ["Https:Hsts"] = "false",
            ["Https:Port"] = "443",
        });

        var plain = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://auth.example.com"), AllowAutoRedirect = false })
            .GetAsync("/api/v1/auth/me");
        var secure = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://auth.example.com") })
            .GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Null(Header(secure, "Strict-Transport-Security"));
        AssertSecurityHeaders(plain);
    }

    [Fact]
    public async Task Development_ByDefault_NoHttpsRulesAndTheScalarPageGetsItsHtmlPolicy()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?> { ["environment"] = "Development", ["Https:Port"] = "443" });
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://auth.example.com"), AllowAutoRedirect = false });

        var api = await client.GetAsync("/api/v1/auth/me");
        var page = await client.GetAsync("/scalar/");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(page, SecurityHeaders.ScalarPolicy);
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ScalarPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", SecurityHeaders.ScalarPolicy, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/auth/login");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return request;
    }

    private static HttpRequestMessage WithOrigin(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Add("Origin", origin);
        return request;
    }
}
