// Longer than 150 lines because every rule of the dashboard's refresh cookie (attributes, rotation, reuse, CSRF, logout, races, environments) is proved through HTTP here, side by side.
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// SPEC section 9: the dashboard's refresh token in an HttpOnly, SameSite=Strict cookie limited to the
/// refresh and logout paths, rotating like a body token, guarded against cross-site requests, ended by
/// logout (docs/security.md, "The dashboard's refresh cookie"; ADR 0020). The app runs outside
/// Development here: the cookie is <c>__Secure-authplatform.refresh</c> and Secure.
/// </summary>
public abstract class RefreshCookieTests<TFixture>(TFixture fixture) : RefreshCookieTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Login_WithCookieTransport_SetsTheCookieOnBothPathsAndLeavesRefreshTokenOut()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var response = await SendAsync("/api/v1/auth/login", new { email, password = Password }, cookieTransport: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        Assert.False(body.ContainsKey("refresh_token"));
        Assert.False(string.IsNullOrEmpty(Str(body, "token")));
        var value = AssertCookieSet(response, SecureName, secure: true);
        Assert.True(value.Length >= 43, value); // 256 bits, base64url
    }

    [Fact]
    public async Task Login_WithoutCookieTransport_AnswersTheRefreshTokenAndSetsNoCookie()
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var response = await SendAsync("/api/v1/auth/login", new { email, password = Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Str(await ReadObjectAsync(response), "refresh_token").Length >= 43);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task LoginSecondFactor_WithCookieTransport_ChallengeSetsNothingAndTheSecondStepSetsTheCookie()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var secret = await EnableTwoFactorAsync(email);

        var challenge = await SendAsync("/api/v1/auth/login", new { email, password = Password }, cookieTransport: true);
        var answer = await ReadObjectAsync(challenge);
        Assert.True((bool)answer["mfa_required"]!);
        Assert.False(challenge.Headers.Contains("Set-Cookie"));
        var code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow());
        var session = await SendAsync("/api/v1/auth/login/2fa", new { mfa_token = Str(answer, "mfa_token"), code }, cookieTransport: true);

        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.False((await ReadObjectAsync(session)).ContainsKey("refresh_token"));
        var cookie = AssertCookieSet(session, SecureName, secure: true);
        Assert.Equal(HttpStatusCode.OK, (await RefreshWithCookieAsync(cookie)).StatusCode);
    }

    [Fact]
    public async Task Refresh_WithTheCookie_RotatesItAndAnswersAWorkingAccessTokenWithoutRefreshToken()
    {
        var (_, first) = await CookieSessionAsync();

        var response = await RefreshWithCookieAsync(first);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pair = await ReadObjectAsync(response);
        Assert.False(pair.ContainsKey("refresh_token"));
        var second = AssertCookieSet(response, SecureName, secure: true);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/me", Str(pair, "token"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshWithCookieAsync(second)).StatusCode);
        foreach (var secret in new[] { first, second })
        {
            Assert.DoesNotContain(secret, Factory.Logs.AllText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refresh_WithAnAlreadyRotatedCookie_Returns401ReusedEndsTheSessionAndClearsTheCookie()
    {
        var (_, first) = await CookieSessionAsync();
        var second = AssertCookieSet(await RefreshWithCookieAsync(first), SecureName, secure: true);

        var replay = await RefreshWithCookieAsync(first);

        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");
        AssertCookieCleared(replay, SecureName);
        var newest = await RefreshWithCookieAsync(second);
        await AssertProblemAsync(newest, HttpStatusCode.Unauthorized, "invalid_token");
        AssertCookieCleared(newest, SecureName);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'refresh_token.reused'"));
    }

    public static TheoryData<string, string?, string?, string?> CrossSiteRequests() => new()
    {
        { "no CSRF header", null, null, null },
        { "CSRF header of another value", "0", null, null },
        { "foreign Origin", "1", "https://evil.example", null },
        { "Origin of another port", "1", "https://localhost:8443", null },
        { "Origin null", "1", "null", null },
        { "cross-site fetch", "1", null, "cross-site" },
        { "same-site fetch", "1", null, "same-site" },
    };

    [Theory]
    [MemberData(nameof(CrossSiteRequests))]
    public async Task Refresh_WithTheCookieFailingTheCsrfCheck_Returns403AndLeavesTheCookieUsable(string why, string? csrf, string? origin, string? fetchSite)
    {
        var (_, cookie) = await CookieSessionAsync();

        var refused = await RefreshWithCookieAsync(cookie, csrf, origin, fetchSite);

        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "csrf_check_failed");
        Assert.False(refused.Headers.Contains("Set-Cookie"), why);
        Assert.Equal(HttpStatusCode.OK, (await RefreshWithCookieAsync(cookie)).StatusCode);
    }

    [Theory]
    [InlineData("https://localhost", "same-origin")]
    [InlineData("https://LOCALHOST:443", null)]
    [InlineData(null, "none")]
    [InlineData(AllowedOrigin, null)]
    public async Task Refresh_WithTheCookieFromTheServersOwnOrAConfiguredOrigin_Rotates(string? origin, string? fetchSite)
    {
        var (_, cookie) = await CookieSessionAsync();

        var response = await RefreshWithCookieAsync(cookie, origin: origin, fetchSite: fetchSite);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "application/json")]
    [InlineData("", null)]
    [InlineData("{}", "application/json")]
    [InlineData("{\"refresh_token\": null}", "application/json")]
    public async Task Refresh_WithTheCookieAndNoTokenInTheBody_Rotates(string? body, string? contentType)
    {
        var (_, cookie) = await CookieSessionAsync();

        var response = await SendAsync("/api/v1/auth/refresh", Content(body, contentType), cookie, csrf: "1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCookieSet(response, SecureName, secure: true);
    }

    [Fact]
    public async Task Refresh_WithATokenInTheBodyAndTheCookie_UsesTheBodyAndLeavesTheCookieAlone()
    {
        var (_, cookie) = await CookieSessionAsync();
        var (_, bodySession) = await NewSessionAsync();

        var response = await SendAsync("/api/v1/auth/refresh", new { refresh_token = Str(bodySession, "refresh_token") }, cookie: cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Str(await ReadObjectAsync(response), "refresh_token").Length >= 43);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await RefreshWithCookieAsync(cookie)).StatusCode); // not consumed
    }

    [Fact]
    public async Task Refresh_WithABodyTokenAndCookieTransport_MovesTheSessionIntoTheCookie()
    {
        var (_, session) = await NewSessionAsync();

        var response = await SendAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }, cookieTransport: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await ReadObjectAsync(response)).ContainsKey("refresh_token"));
        Assert.Equal(HttpStatusCode.OK, (await RefreshWithCookieAsync(AssertCookieSet(response, SecureName, secure: true))).StatusCode);
    }

    [Theory]
    [InlineData("refresh", null)]
    [InlineData("refresh", "{}")]
    [InlineData("logout", null)]
    [InlineData("logout", "{}")]
    public async Task RefreshOrLogout_WithNeitherBodyTokenNorCookie_Returns400ValidationFailed(string endpoint, string? body)
    {
        var response = await SendAsync($"/api/v1/auth/{endpoint}", Content(body, body is null ? null : "application/json"), csrf: "1");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Refresh_TwentyParallelWithOneCookie_AtMostOneLiveSuccessor()
    {
        var (_, cookie) = await CookieSessionAsync();

        var responses = await RefreshRace.StartTogetherAsync(20, () => RefreshWithCookieAsync(cookie));

        var winners = RefreshRace.AssertAtMostOneSucceeded(responses);
        foreach (var loser in responses.Except(winners))
        {
            await AssertProblemAsync(loser, HttpStatusCode.Unauthorized, "refresh_token_reused");
            AssertCookieCleared(loser, SecureName);
        }

        var usable = 0;
        foreach (var winner in winners)
        {
            usable += (await RefreshWithCookieAsync(AssertCookieSet(winner, SecureName, secure: true))).StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.True(usable <= 1);
        Assert.True(await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'refresh_token.reused'") >= 1);
    }

    [Fact]
    public async Task Logout_WithTheCookie_Returns204ClearsTheCookieAndEndsTheSession()
    {
        var (login, cookie) = await CookieSessionAsync();

        var response = await SendAsync("/api/v1/auth/logout", Content(null, null), cookie, csrf: "1");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        AssertCookieCleared(response, SecureName);
        await AssertProblemAsync(await RefreshWithCookieAsync(cookie), HttpStatusCode.Unauthorized, "invalid_token");
        // The session's access token no longer manages the account (/me and /verify read no session: docs/api.md).
        await AssertProblemAsync(await GetAsync("/api/v1/auth/sessions", Str(login, "token")), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Logout_WithTheCookieButNoCsrfHeader_Returns403AndTheSessionGoesOn()
    {
        var (login, cookie) = await CookieSessionAsync();

        var response = await SendAsync("/api/v1/auth/logout", Content(null, null), cookie);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "csrf_check_failed");
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/sessions", Str(login, "token"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshWithCookieAsync(cookie)).StatusCode);
    }

    [Fact]
    public async Task Login_InDevelopment_SetsTheCookieWithoutSecureAndWithoutThePrefix()
    {
        await using var development = new AuthApiFactory(Factory.Database, new Dictionary<string, string?> { ["environment"] = "Development" });
        using var client = development.CreateClient(new() { BaseAddress = new Uri("http://localhost"), HandleCookies = false });
        var email = NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Request("/api/v1/auth/register", new { email, password = Password, name = "Dev" }))).StatusCode);

        var login = Request("/api/v1/auth/login", new { email, password = Password });
        login.Headers.Add("X-Refresh-Token-Transport", "cookie");
        var response = await client.SendAsync(login);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = AssertCookieSet(response, DevelopmentName, secure: false);
        var refresh = Request("/api/v1/auth/refresh", null, DevelopmentName + "=" + cookie);
        refresh.Headers.Add("X-AuthPlatform-CSRF", "1");
        refresh.Headers.Add("Origin", "http://localhost");
        var refreshed = await client.SendAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        AssertCookieSet(refreshed, DevelopmentName, secure: false);
    }

    private static HttpContent? Content(string? body, string? contentType)
    {
        if (body is null)
        {
            return null;
        }

        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new(contentType);
        }

        return content;
    }
}

public sealed class RefreshCookieTestsOnSqlite(RefreshCookieSqliteFixture fixture) : RefreshCookieTests<RefreshCookieSqliteFixture>(fixture);

public sealed class RefreshCookieTestsOnPostgres(RefreshCookiePostgresFixture fixture) : RefreshCookieTests<RefreshCookiePostgresFixture>(fixture);
