using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>The app outside Development with one configured CORS origin, for <see cref="RefreshCookieTests{TFixture}"/>.</summary>
public abstract class RefreshCookieFixture(DatabaseKind kind) : ApiFixture(kind)
{
    public const string AllowedOrigin = "https://dashboard.example.com";

    protected override AuthApiFactory CreateFactory(TestDatabase database) =>
        new(database, new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = AllowedOrigin });
}

public sealed class RefreshCookieSqliteFixture() : RefreshCookieFixture(DatabaseKind.Sqlite);

public sealed class RefreshCookiePostgresFixture() : RefreshCookieFixture(DatabaseKind.Postgres);

/// <summary>
/// A browser's requests, written out: over HTTPS to the app itself, with the cookie sent by hand (no cookie
/// jar), so a test decides which value a request carries and reads every <c>Set-Cookie</c> as the server wrote it.
/// </summary>
public abstract class RefreshCookieTestBase<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    protected const string SecureName = "__Secure-authplatform.refresh";
    protected const string DevelopmentName = "authplatform.refresh";
    protected const string AllowedOrigin = RefreshCookieFixture.AllowedOrigin;
    private const string RefreshPath = "/api/v1/auth/refresh";
    private const string LogoutPath = "/api/v1/auth/logout";
    private const string ThirtyDays = "2592000"; // Jwt:RefreshTokenLifetime's default, in seconds

    private HttpClient _browser = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _browser = Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
    }

    public override async Task DisposeAsync()
    {
        _browser.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A new account signed in with the cookie transport: the login answer and the cookie's value.</summary>
    protected async Task<(JsonObject Login, string Cookie)> CookieSessionAsync()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var response = await SendAsync("/api/v1/auth/login", new { email, password = Password }, cookieTransport: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ReadObjectAsync(response), AssertCookieSet(response, SecureName, secure: true));
    }

    /// <summary>A JSON POST, with <c>X-Refresh-Token-Transport: cookie</c> when asked and the cookie when given.</summary>
    protected Task<HttpResponseMessage> SendAsync(string path, object body, bool cookieTransport = false, string? cookie = null)
    {
        var request = Request(path, body, cookie is null ? null : $"{SecureName}={cookie}");
        if (cookieTransport)
        {
            request.Headers.Add("X-Refresh-Token-Transport", "cookie");
        }

        return _browser.SendAsync(request);
    }

    /// <summary>A POST of <paramref name="content"/> with the cookie and the CSRF-related headers given (null: not sent).</summary>
    protected Task<HttpResponseMessage> SendAsync(
        string path, HttpContent? content, string? cookie = null, string? csrf = null, string? origin = null, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        foreach (var (name, value) in new[] { ("Cookie", cookie is null ? null : $"{SecureName}={cookie}"), ("X-AuthPlatform-CSRF", csrf), ("Origin", origin), ("Sec-Fetch-Site", fetchSite) })
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return _browser.SendAsync(request);
    }

    /// <summary>What the dashboard sends on load: no body, the cookie, <c>X-AuthPlatform-CSRF: 1</c>.</summary>
    protected Task<HttpResponseMessage> RefreshWithCookieAsync(string cookie, string? csrf = "1", string? origin = null, string? fetchSite = null) =>
        SendAsync(RefreshPath, content: null, cookie, csrf, origin, fetchSite);

    protected static HttpRequestMessage Request(string path, object? body, string? cookieHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (cookieHeader is not null)
        {
            request.Headers.Add("Cookie", cookieHeader);
        }

        return request;
    }

    /// <summary>
    /// Exactly two <c>Set-Cookie</c>, both <paramref name="name"/> with one value, one per path (refresh, logout),
    /// HttpOnly, SameSite=Strict, Max-Age of the refresh-token lifetime, Secure as <paramref name="secure"/> says; answers the value.
    /// </summary>
    protected static string AssertCookieSet(HttpResponseMessage response, string name, bool secure)
    {
        var cookies = SetCookies(response, name);
        foreach (var (value, attributes) in cookies)
        {
            Assert.False(string.IsNullOrEmpty(value));
            Assert.Equal(ThirtyDays, attributes["max-age"]);
            Assert.Equal(secure, attributes.ContainsKey("secure"));
        }

        Assert.Single(cookies.Select(c => c.Value).Distinct());
        return cookies[0].Value;
    }

    /// <summary>Exactly two <c>Set-Cookie</c> that expire <paramref name="name"/> on both paths: empty, <c>Max-Age=0</c>, an expiry in the past.</summary>
    protected static void AssertCookieCleared(HttpResponseMessage response, string name)
    {
        foreach (var (value, attributes) in SetCookies(response, name))
        {
            Assert.Equal(string.Empty, value);
            Assert.Equal("0", attributes["max-age"]);
            Assert.True(DateTimeOffset.Parse(attributes["expires"]!, System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow);
        }
    }

    /// <summary>The answer's two <c>Set-Cookie</c> (no other), both of <paramref name="name"/>, one per path, HttpOnly and SameSite=Strict.</summary>
    private static List<(string Value, Dictionary<string, string?> Attributes)> SetCookies(HttpResponseMessage response, string name)
    {
        var headers = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.Equal(2, headers.Count);
        var cookies = headers.Select(header =>
        {
            var parts = header.Split(';', StringSplitOptions.TrimEntries);
            Assert.StartsWith(name + "=", parts[0], StringComparison.Ordinal);
            var attributes = parts.Skip(1).Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0].ToLowerInvariant(), p => p.Length > 1 ? p[1] : null);
            Assert.True(attributes.ContainsKey("httponly"), header);
            Assert.Equal("strict", attributes["samesite"]?.ToLowerInvariant());
            return (Value: parts[0][(name.Length + 1)..], Attributes: attributes);
        }).ToList();
        Assert.Equal([LogoutPath, RefreshPath], cookies.Select(c => c.Attributes["path"]).Order(StringComparer.Ordinal));
        return cookies;
    }
}
