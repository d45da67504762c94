using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// Helpers of the revocation, introspection, userinfo, end-session and grants tests: a service
/// account (a confidential client that authenticates today) with its client-credentials token, an
/// app's tokens obtained through the real login and consent pages and redeemed through the
/// mediator, and form posts with client authentication.
/// </summary>
public abstract class TokenEndpointsTestBase<TFixture>(TFixture fixture) : AuthorizeFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    protected const string LogoutRedirect = "https://app.example.com/signed-out";

    protected sealed record Account(string ClientId, string Secret, string OwnerToken);

    /// <summary>What the token endpoint answers an app for a code.</summary>
    protected sealed record Issued(string AccessToken, string? RefreshToken, string? IdToken);

    protected sealed record UserTokens(App App, string Email, Issued Tokens, HttpClient Browser)
    {
        /// <summary>The app as a client of the revocation and introspection endpoints.</summary>
        public Account AsClient => new(App.ClientId, App.Secret!, string.Empty);
    }

    protected async Task<Account> NewAccountAsync(string[]? scopes = null)
    {
        var (_, session) = await NewSessionAsync();
        var response = await PostJsonAsync(
            "/api/v1/service-accounts", new { name = "resource server", scopes = scopes ?? ["profile", "api_keys:read"] }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var account = await ReadObjectAsync(response);
        return new Account(Str(account, "client_id"), Str(account, "client_secret"), Str(session, "token"));
    }

    /// <summary>A client-credentials access token of the account.</summary>
    protected async Task<string> AccountTokenAsync(Account account)
    {
        var response = await FormAsync("/oauth/token", [P("grant_type", "client_credentials")], account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Str(await ReadObjectAsync(response), "access_token");
    }

    /// <summary>An app (with a post-logout redirect URI) and a user's tokens for it: consent through the pages, code redeemed.</summary>
    protected async Task<UserTokens> UserTokensAsync(string scope = "openid profile email api_keys:read", bool requireConsent = true, App? app = null)
    {
        app ??= await NewLogoutAppAsync(requireConsent);
        var pkce = Pkce.New();
        var browser = NewBrowser();
        var (email, redirect) = await SignInAndApproveAsync(browser, app, AuthorizeUrl(app, pkce, scope: scope));
        var result = await RedeemAsync(app, redirect["code"], verifier: pkce.Verifier);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return new UserTokens(app, email, new Issued(result.Value!.AccessToken, result.Value.RefreshToken, result.Value.IdToken), browser);
    }

    protected async Task<App> NewLogoutAppAsync(bool requireConsent = true)
    {
        var (_, session) = await NewSessionAsync();
        var response = await PostJsonAsync("/api/v1/oauth/clients", new
        {
            name = "Acme Notes",
            type = "confidential",
            redirect_uris = new[] { Redirect },
            post_logout_redirect_uris = new[] { LogoutRedirect },
            grant_types = new[] { "authorization_code", "refresh_token" },
            scopes = new[] { "openid", "profile", "email", "api_keys:read" },
            require_consent = requireConsent,
        }, Str(session, "token"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var client = await ReadObjectAsync(response);
        return new App(Str(client, "client_id"), (string?)client["client_secret"], "confidential");
    }

    protected static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    /// <summary>POSTs a form, authenticating as <paramref name="account"/> by HTTP Basic (or in the form when <paramref name="post"/>).</summary>
    protected async Task<HttpResponseMessage> FormAsync(string url, IEnumerable<KeyValuePair<string, string>> form, Account? account, bool post = false, string? secret = null)
    {
        var fields = form.ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (account is not null && post)
        {
            fields.Add(P("client_id", account.ClientId));
            fields.Add(P("client_secret", secret ?? account.Secret));
        }
        else if (account is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(account.ClientId)}:{Uri.EscapeDataString(secret ?? account.Secret)}")));
        }

        request.Content = new FormUrlEncodedContent(fields);
        return await Client.SendAsync(request);
    }

    protected Task<HttpResponseMessage> RevokeAsync(Account? account, string token, string? hint = null, bool post = false, string? secret = null) =>
        FormAsync("/oauth/revoke", hint is null ? [P("token", token)] : [P("token", token), P("token_type_hint", hint)], account, post, secret);

    protected Task<HttpResponseMessage> IntrospectAsync(Account? account, string token, string? hint = null, bool post = false, string? secret = null) =>
        FormAsync("/oauth/introspect", hint is null ? [P("token", token)] : [P("token", token), P("token_type_hint", hint)], account, post, secret);

    /// <summary>The status of <c>/api/v1/auth/verify</c> with the token: what a gateway would see.</summary>
    protected async Task<HttpStatusCode> VerifyAsync(string token) => (await GetAsync("/api/v1/auth/verify", token)).StatusCode;

    protected static async Task<JsonObject> AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(error, (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["error_description"]));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return body;
    }

    /// <summary>RFC 7662 2.2: an inactive token is answered with exactly <c>{"active":false}</c>.</summary>
    protected static async Task AssertInactiveAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("{\"active\":false}", await response.Content.ReadAsStringAsync());
    }

    protected Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        Factory.Database.ScalarAsync<long>(sql, parameters);
}
