// Longer than 150 lines because each rule of RP-Initiated Logout (sign-out, the registered-URI check, the hint's signature but not its lifetime, client agreement) is proven here on both databases.
using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>OpenID Connect RP-Initiated Logout 1.0 through HTTP: <c>/oauth/end_session</c>.</summary>
public abstract class EndSessionTests<TFixture>(TFixture fixture) : TokenEndpointsTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private static string EndSessionUrl(params (string Name, string? Value)[] parameters) =>
        QueryHelpers.AddQueryString("/oauth/end_session", parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task EndSession_WithHintAndRegisteredUri_SignsOutAndRedirectsWithState(string method)
    {
        var user = await UserTokensAsync();
        (string, string?)[] parameters = [("id_token_hint", user.Tokens.IdToken), ("post_logout_redirect_uri", LogoutRedirect), ("state", "s t&1")];

        var response = method == "GET"
            ? await user.Browser.GetAsync(EndSessionUrl(parameters))
            : await user.Browser.PostAsync("/oauth/end_session", new FormUrlEncodedContent(parameters.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LogoutRedirect + "?state=s%20t%261", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("authplatform.signin=;", StringComparison.Ordinal));
        // The browser is signed out: the next authorization asks it to sign in again.
        await AssertLoginPageAsync(await user.Browser.GetAsync(AuthorizeUrl(user.App, Pkce.New())));
        // And the session its login started has ended (a replayed cookie would not hold), audited as a logout.
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id IS NULL AND revocation_reason = 'logout'"));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'logout'"));
        // The app's own grant (its refresh token) is not ended by signing out of the browser.
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NOT NULL", ("@c", user.App.ClientId)));
    }

    [Fact]
    public async Task EndSession_WithClientIdAndRegisteredUriButNoHint_SignsOutWithoutRedirect()
    {
        // Any user can register a client with any post-logout URI: a client id and its URI alone
        // would make end_session an open redirect on this server's address.
        var user = await UserTokensAsync();

        var response = await user.Browser.GetAsync(EndSessionUrl(("client_id", user.App.ClientId), ("post_logout_redirect_uri", LogoutRedirect)));

        await AssertSignedOutPageAsync(response, "No id_token_hint");
        await AssertLoginPageAsync(await user.Browser.GetAsync(AuthorizeUrl(user.App, Pkce.New())));
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task EndSession_PostWithAMalformedOrOversizeForm_Answers400NotA500(string contentType)
    {
        using var browser = NewBrowser();
        var body = contentType == "multipart/form-data" ? "--x\r\n" : string.Join('&', Enumerable.Range(0, 1100).Select(i => $"x{i}=1"));
        using var content = new StringContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await browser.PostAsync("/oauth/end_session", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EndSession_WithAnExpiredHint_StillRedirects()
    {
        var user = await UserTokensAsync();
        Factory.Clock.Advance(TimeSpan.FromHours(3));

        var response = await user.Browser.GetAsync(EndSessionUrl(("id_token_hint", user.Tokens.IdToken), ("post_logout_redirect_uri", LogoutRedirect)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(LogoutRedirect, response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData(LogoutRedirect + "/")]
    [InlineData("https://APP.example.com/signed-out")]
    [InlineData("https://app.example.com/signed-out?next=/")]
    [InlineData("https://evil.example.net/signed-out")]
    [InlineData(Redirect)] // a redirect URI of the client, but not a post-logout one
    public async Task EndSession_WithAnUnregisteredUri_SignsOutWithoutRedirect(string uri)
    {
        var user = await UserTokensAsync();

        var response = await user.Browser.GetAsync(EndSessionUrl(("id_token_hint", user.Tokens.IdToken), ("post_logout_redirect_uri", uri), ("state", "x")));

        await AssertSignedOutPageAsync(response, "not registered");
        await AssertLoginPageAsync(await user.Browser.GetAsync(AuthorizeUrl(user.App, Pkce.New())));
    }

    [Fact]
    public async Task EndSession_WithATamperedHint_SignsOutWithoutRedirect()
    {
        var user = await UserTokensAsync();
        var idToken = user.Tokens.IdToken!;
        var tampered = idToken[..^4] + (idToken[^4] == 'A' ? "BBBB" : "AAAA");

        var response = await user.Browser.GetAsync(EndSessionUrl(("id_token_hint", tampered), ("post_logout_redirect_uri", LogoutRedirect)));

        await AssertSignedOutPageAsync(response, "not an ID token of this server");
    }

    [Fact]
    public async Task EndSession_WithAnAccessTokenAsHint_DoesNotRedirect()
    {
        var user = await UserTokensAsync();

        var response = await user.Browser.GetAsync(
            EndSessionUrl(("id_token_hint", user.Tokens.AccessToken), ("client_id", user.App.ClientId), ("post_logout_redirect_uri", LogoutRedirect)));

        await AssertSignedOutPageAsync(response, "not an ID token of this server");
    }

    [Fact]
    public async Task EndSession_WithAClientIdOtherThanTheHints_DoesNotRedirect()
    {
        var user = await UserTokensAsync();
        var other = await NewLogoutAppAsync();

        var response = await user.Browser.GetAsync(
            EndSessionUrl(("id_token_hint", user.Tokens.IdToken), ("client_id", other.ClientId), ("post_logout_redirect_uri", LogoutRedirect)));

        await AssertSignedOutPageAsync(response, "does not match");
    }

    [Fact]
    public async Task EndSession_WithUriButNoClient_DoesNotRedirect()
    {
        var user = await UserTokensAsync();

        await AssertSignedOutPageAsync(await user.Browser.GetAsync(EndSessionUrl(("post_logout_redirect_uri", LogoutRedirect))), "No id_token_hint");
    }

    [Fact]
    public async Task EndSession_WithoutParametersOrSignIn_ShowsTheSignedOutPage()
    {
        using var browser = NewBrowser();

        await AssertSignedOutPageAsync(await browser.GetAsync("/oauth/end_session"), null);
    }

    private static async Task AssertSignedOutPageAsync(HttpResponseMessage response, string? notice)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {html}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("You are signed out", html, StringComparison.Ordinal);
        if (notice is not null)
        {
            Assert.Contains(notice, html, StringComparison.Ordinal);
        }
    }
}

public sealed class EndSessionTestsOnSqlite(SqliteApiFixture fixture) : EndSessionTests<SqliteApiFixture>(fixture);

public sealed class EndSessionTestsOnPostgres(PostgresApiFixture fixture) : EndSessionTests<PostgresApiFixture>(fixture);
