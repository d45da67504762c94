// Longer than 150 lines because the browser of the authorization-code flow (cookies, forms, antiforgery, PKCE) and its redemption through the mediator are shared by two test classes here.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>A browser (cookies, no automatic redirects, HTTPS so that Secure cookies travel) and an app registration for the authorization-code flow.</summary>
public abstract partial class AuthorizeFlowTestBase<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    protected const string Redirect = "https://app.example.com/callback";

    protected sealed record App(string ClientId, string? Secret, string Type);

    protected sealed record Pkce(string Verifier, string Challenge)
    {
        public static Pkce New()
        {
            var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return new Pkce(verifier, ChallengeOf(verifier));
        }

        public static string ChallengeOf(string verifier) =>
            Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    protected HttpClient NewBrowser() => Factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    });

    protected async Task<App> NewAppAsync(string type = "confidential", bool requireConsent = true, string[]? scopes = null, string[]? grants = null)
    {
        var (_, session) = await NewSessionAsync();
        var response = await PostJsonAsync("/api/v1/oauth/clients", new
        {
            name = "Acme <Dashboard>",
            type,
            redirect_uris = new[] { Redirect },
            grant_types = grants ?? ["authorization_code", "refresh_token"],
            scopes = scopes ?? ["openid", "profile", "email", "api_keys:read"],
            require_consent = requireConsent,
        }, Str(session, "token"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var client = await ReadObjectAsync(response);
        return new App(Str(client, "client_id"), (string?)client["client_secret"], type);
    }

    protected static string AuthorizeUrl(
        App app, Pkce? pkce = null, string scope = "openid profile", string state = "st-123", string? redirect = Redirect,
        string? nonce = "n-0S6_WzA2Mj", string? method = "S256", string? extra = null)
    {
        var values = new List<KeyValuePair<string, string?>> { new("response_type", "code"), new("client_id", app.ClientId) };
        if (redirect is not null)
        {
            values.Add(new("redirect_uri", redirect));
        }

        values.Add(new("scope", scope));
        values.Add(new("state", state));
        if (pkce is not null)
        {
            values.Add(new("code_challenge", pkce.Challenge));
        }

        if (method is not null && pkce is not null)
        {
            values.Add(new("code_challenge_method", method));
        }

        if (nonce is not null)
        {
            values.Add(new("nonce", nonce));
        }

        return QueryHelpers.AddQueryString("/oauth/authorize", values) + (extra is null ? string.Empty : "&" + extra);
    }

    /// <summary>Posts the page's form with its antiforgery token and <paramref name="fields"/>.</summary>
    protected static Task<HttpResponseMessage> SubmitAsync(HttpClient browser, HttpResponseMessage page, params (string Name, string Value)[] fields) =>
        HtmlForms.SubmitAsync(browser, page, fields);

    /// <summary>The parameters of a redirect to the application.</summary>
    protected static Dictionary<string, string> RedirectParameters(HttpResponseMessage response)
    {
        Assert.True(
            response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"{(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(Redirect + "?", location, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    protected static async Task AssertLoginPageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("name=\"email\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("type=\"submit\"", html, StringComparison.Ordinal);
    }

    /// <summary>Registers a user and drives login (and consent when asked) to the redirect with the code.</summary>
    protected async Task<(string Email, Dictionary<string, string> Redirect)> SignInAndApproveAsync(HttpClient browser, App app, string url, string? email = null)
    {
        if (email is null)
        {
            email = NewEmail();
            await RegisterAsync(email);
        }

        var login = await browser.GetAsync(url);
        await AssertLoginPageAsync(login);
        var next = await SubmitAsync(browser, login, ("email", email), ("password", Password));
        if (next.StatusCode == HttpStatusCode.OK)
        {
            Assert.Contains("value=\"approve\"", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            next = await SubmitAsync(browser, next, ("decision", "approve"));
        }

        return (email, RedirectParameters(next));
    }

    /// <summary>Redeems a code at <c>POST /oauth/token</c> (the app's secret in the form when it has one), read back as a result.</summary>
    protected async Task<Result<TokenResponse>> RedeemAsync(App app, string code, string? redirect = Redirect, string? verifier = null) =>
        ToResult(await RedeemAtTokenEndpointAsync(app, code, redirect, verifier));

    protected Task<HttpResponseMessage> RedeemAtTokenEndpointAsync(App app, string code, string? redirect = Redirect, string? verifier = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "authorization_code"), new("code", code), new("client_id", app.ClientId) };
        if (app.Secret is not null)
        {
            form.Add(new("client_secret", app.Secret));
        }

        if (redirect is not null)
        {
            form.Add(new("redirect_uri", redirect));
        }

        if (verifier is not null)
        {
            form.Add(new("code_verifier", verifier));
        }

        return TokenRequestAsync(form);
    }

    /// <summary><c>grant_type=refresh_token</c> for <paramref name="app"/> (its secret in the form when it has one).</summary>
    protected Task<HttpResponseMessage> RefreshAtTokenEndpointAsync(App app, string refreshToken, string? scope = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "refresh_token"), new("refresh_token", refreshToken), new("client_id", app.ClientId) };
        if (app.Secret is not null)
        {
            form.Add(new("client_secret", app.Secret));
        }

        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        return TokenRequestAsync(form);
    }

    /// <summary>A fresh client (no cookies) posting the form to <c>POST /oauth/token</c>.</summary>
    protected async Task<HttpResponseMessage> TokenRequestAsync(IEnumerable<KeyValuePair<string, string>> form, string? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>An RFC 6749 answer as a result: the token answer, or the error with its description as the message.</summary>
    protected static Result<TokenResponse> ToResult(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(response.Content.ReadAsStringAsync().Result)!.AsObject();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("no-cache", response.Headers.Pragma.ToString(), StringComparison.Ordinal);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return new TokenResponse(
                (string)body["access_token"]!, (string)body["token_type"]!, (int)body["expires_in"]!, (string)body["scope"]!,
                (string?)body["refresh_token"], (string?)body["id_token"]);
        }

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        return new Error((string)body["error"]!, (string?)body["error_description"] ?? string.Empty);
    }

    protected async Task<HttpResponseMessage> ApiLoginAsync(string email, string password) =>
        await PostJsonAsync("/api/v1/auth/login", new { email, password });
}
