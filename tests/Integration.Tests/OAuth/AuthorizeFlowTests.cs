// Longer than 150 lines because every step of GET /oauth/authorize (login, second factor, consent) and each of its refusals is proven through HTTP here, on both databases.
using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>SPEC section 6, <c>GET /oauth/authorize</c> and its pages, through a cookie-carrying browser.</summary>
public abstract class AuthorizeFlowTests<TFixture>(TFixture fixture) : AuthorizeFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Authorize_LoginThenConsent_RedirectsWithCodeStateAndIss()
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();
        var pkce = Pkce.New();
        var email = NewEmail();
        await RegisterAsync(email);

        var login = await browser.GetAsync(AuthorizeUrl(app, pkce, scope: "openid api_keys:read"));
        await AssertLoginPageAsync(login);
        Assert.Contains("form-action 'self' https://app.example.com", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("Acme &lt;Dashboard&gt;", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var consent = await SubmitAsync(browser, login, ("email", email), ("password", Password));
        var consentHtml = await consent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("See your API keys", consentHtml, StringComparison.Ordinal);
        Assert.Contains("Sign you in", consentHtml, StringComparison.Ordinal);
        var cookie = consent.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("authplatform.signin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/oauth", cookie, StringComparison.OrdinalIgnoreCase);

        var redirect = RedirectParameters(await SubmitAsync(browser, consent, ("decision", "approve")));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", redirect["code"]);
        Assert.Equal("st-123", redirect["state"]);
        Assert.Equal("http://localhost:8080", redirect["iss"]);
        Assert.False(redirect.ContainsKey("error"));
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM user_grants"));
        Assert.Contains("oauth.consent_granted", Factory.Logs.AllText, StringComparison.Ordinal);
        var database = await Factory.Database.DumpAllTextAsync();
        Assert.DoesNotContain(redirect["code"], database, StringComparison.Ordinal);

        // Signed in and consented: the next request goes straight back with a new code.
        var again = RedirectParameters(await browser.GetAsync(AuthorizeUrl(app, pkce, scope: "openid api_keys:read", state: "two")));
        Assert.Equal("two", again["state"]);
        Assert.NotEqual(redirect["code"], again["code"]);
    }

    [Fact]
    public async Task Authorize_WithTwoFactor_AsksForTheCodeBeforeConsent()
    {
        var app = await NewAppAsync(requireConsent: false);
        var email = NewEmail();
        await RegisterAsync(email);
        var secret = await EnableTwoFactorAsync(email);
        using var browser = NewBrowser();

        var login = await browser.GetAsync(AuthorizeUrl(app, Pkce.New()));
        var second = await SubmitAsync(browser, login, ("email", email), ("password", Password));
        var html = await second.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("name=\"code\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("authplatform.signin", string.Join(";", second.Headers.TryGetValues("Set-Cookie", out var c) ? c : []), StringComparison.Ordinal);

        var wrong = await SubmitAsync(browser, second, ("code", "000000"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("name=\"code\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var done = await SubmitAsync(browser, wrong, ("code", IndependentTotp.Code(secret, Factory.Clock.GetUtcNow())));
        var redirect = RedirectParameters(done);
        var tokens = await RedeemAsync(app, redirect["code"], verifier: null);
        Assert.True(tokens.IsFailure); // PKCE was sent: no verifier, no tokens
    }

    [Fact]
    public async Task Authorize_UnknownClient_ShowsErrorPageWithoutRedirect()
    {
        using var browser = NewBrowser();

        var response = await browser.GetAsync(AuthorizeUrl(new App("oc_unknownunknownunknownunknown00", null, "public"), Pkce.New()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("No application is registered", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com/callback/")]
    [InlineData("https://APP.example.com/callback")]
    [InlineData("https://app.example.com/callback?x=1")]
    [InlineData("http://app.example.com/callback")]
    [InlineData("https://evil.app.example.com/callback")]
    [InlineData(null)]
    public async Task Authorize_UnregisteredRedirectUri_ShowsErrorPageWithoutRedirect(string? redirect)
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();

        var response = await browser.GetAsync(AuthorizeUrl(app, Pkce.New(), redirect: redirect));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_PublicClientWithoutPkce_RedirectsInvalidRequest()
    {
        var app = await NewAppAsync(type: "public");
        using var browser = NewBrowser();

        var redirect = RedirectParameters(await browser.GetAsync(AuthorizeUrl(app, pkce: null)));

        Assert.Equal("invalid_request", redirect["error"]);
        Assert.Contains("code_challenge", redirect["error_description"], StringComparison.Ordinal);
        Assert.Equal("st-123", redirect["state"]);
        Assert.Equal("http://localhost:8080", redirect["iss"]);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("s256")]
    public async Task Authorize_ChallengeMethodOtherThanS256_IsRefused(string method)
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();

        var redirect = RedirectParameters(await browser.GetAsync(AuthorizeUrl(app, Pkce.New(), method: method)));

        Assert.Equal("invalid_request", redirect["error"]);
    }

    [Theory]
    [InlineData("openid admin")]
    [InlineData("audit:read")]
    [InlineData("BAD SCOPE!")]
    [InlineData(" ")]
    public async Task Authorize_ScopeOutsideTheClients_RedirectsInvalidScope(string scope)
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();

        var redirect = RedirectParameters(await browser.GetAsync(AuthorizeUrl(app, Pkce.New(), scope: scope)));

        Assert.Equal("invalid_scope", redirect["error"]);
        Assert.Equal("st-123", redirect["state"]);
    }

    [Fact]
    public async Task Consent_Deny_RedirectsAccessDeniedAndRecordsNothing()
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();
        var email = NewEmail();
        await RegisterAsync(email);
        var login = await browser.GetAsync(AuthorizeUrl(app, Pkce.New()));
        var consent = await SubmitAsync(browser, login, ("email", email), ("password", Password));

        var redirect = RedirectParameters(await SubmitAsync(browser, consent, ("decision", "deny")));

        Assert.Equal("access_denied", redirect["error"]);
        Assert.Equal("st-123", redirect["state"]);
        Assert.Equal("http://localhost:8080", redirect["iss"]);
        Assert.False(redirect.ContainsKey("code"));
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM user_grants"));
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM authorization_codes"));
    }

    [Fact]
    public async Task Consent_SkippedWhenTheClientDoesNotRequireIt()
    {
        var app = await NewAppAsync(requireConsent: false);
        using var browser = NewBrowser();
        var email = NewEmail();
        await RegisterAsync(email);
        var login = await browser.GetAsync(AuthorizeUrl(app, Pkce.New()));

        var redirect = RedirectParameters(await SubmitAsync(browser, login, ("email", email), ("password", Password)));

        Assert.True(redirect.ContainsKey("code"));
    }

    [Fact]
    public async Task Consent_SkippedWhenAlreadyGrantedButAskedForWiderScopes()
    {
        var app = await NewAppAsync();
        using var first = NewBrowser();
        var (email, _) = await SignInAndApproveAsync(first, app, AuthorizeUrl(app, Pkce.New(), scope: "openid profile"));

        using var second = NewBrowser();
        var login = await second.GetAsync(AuthorizeUrl(app, Pkce.New(), scope: "profile"));
        var skipped = RedirectParameters(await SubmitAsync(second, login, ("email", email), ("password", Password)));
        Assert.True(skipped.ContainsKey("code"));

        var wider = await second.GetAsync(AuthorizeUrl(app, Pkce.New(), scope: "openid api_keys:read"));
        Assert.Equal(HttpStatusCode.OK, wider.StatusCode);
        Assert.Contains("value=\"approve\"", await wider.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPasswordOnThePage_CountsTowardsTheLockoutOfLogin()
    {
        var app = await NewAppAsync();
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowser();
        var page = await browser.GetAsync(AuthorizeUrl(app, Pkce.New()));

        for (var i = 0; i < 10; i++)
        {
            page = await SubmitAsync(browser, page, ("email", email), ("password", "wrong password " + i));
            Assert.Contains("name=\"password\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var locked = await SubmitAsync(browser, page, ("email", email), ("password", Password));
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        await AssertProblemAsync(await ApiLoginAsync(email, Password), HttpStatusCode.Locked, "account_locked");
    }

    [Fact]
    public async Task Login_UnknownAddress_AnswersLikeAWrongPassword()
    {
        var app = await NewAppAsync();
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowser();
        var page = await browser.GetAsync(AuthorizeUrl(app, Pkce.New()));

        var wrong = await SubmitAsync(browser, page, ("email", email), ("password", "not the password"));
        var unknown = await SubmitAsync(browser, page, ("email", NewEmail()), ("password", "not the password"));

        Assert.Equal(wrong.StatusCode, unknown.StatusCode);
        Assert.Contains("The email address or password is incorrect.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The email address or password is incorrect.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Returns400()
    {
        var app = await NewAppAsync();
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowser();
        var url = AuthorizeUrl(app, Pkce.New());
        await browser.GetAsync(url);

        var response = await browser.PostAsync(
            url.Replace("/oauth/authorize", "/oauth/authorize/login", StringComparison.Ordinal),
            new FormUrlEncodedContent([new("email", email), new("password", Password)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("authplatform.signin", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Authorize_OverPlainHttpOutsideDevelopment_ShowsErrorPageInsteadOf500()
    {
        // Found by the conformance suite (tests/conformance): the antiforgery system refuses plain
        // HTTP when its cookie is Secure-only, and threw out of the page as a 500.
        var app = await NewAppAsync();
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("http://localhost"),
        });
        var url = AuthorizeUrl(app, Pkce.New());

        var page = await browser.GetAsync(url);
        var login = await browser.PostAsync(
            url.Replace("/oauth/authorize", "/oauth/authorize/login", StringComparison.Ordinal),
            new FormUrlEncodedContent([new("email", email), new("password", Password)]));

        foreach (var response in new[] { page, login })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            Assert.Contains("works over HTTPS only", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Null(response.Headers.Location);
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out _));
        }

        Assert.Contains("over plain HTTP outside Development", Factory.Logs.AllText, StringComparison.Ordinal);

        // An unusable request still gets its own answer first: a redirect URI that is not registered.
        var unknown = await browser.GetAsync(AuthorizeUrl(app, Pkce.New(), redirect: "https://evil.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.DoesNotContain("works over HTTPS only", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_PromptNoneWithoutSignIn_RedirectsLoginRequired()
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();

        var redirect = RedirectParameters(await browser.GetAsync(AuthorizeUrl(app, Pkce.New(), extra: "prompt=none")));

        Assert.Equal("login_required", redirect["error"]);
    }

    [Fact]
    public async Task Authorize_AfterPasswordChange_AsksToSignInAgain()
    {
        var app = await NewAppAsync(requireConsent: false);
        using var browser = NewBrowser();
        var (email, _) = await SignInAndApproveAsync(browser, app, AuthorizeUrl(app, Pkce.New()));
        var session = await LoginAsync(email);
        var changed = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "another long passphrase 42" }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await AssertLoginPageAsync(await browser.GetAsync(AuthorizeUrl(app, Pkce.New())));
    }
}

public sealed class AuthorizeFlowTestsOnSqlite(SqliteApiFixture fixture) : AuthorizeFlowTests<SqliteApiFixture>(fixture);

public sealed class AuthorizeFlowTestsOnPostgres(PostgresApiFixture fixture) : AuthorizeFlowTests<PostgresApiFixture>(fixture);
