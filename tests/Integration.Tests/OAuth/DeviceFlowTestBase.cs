using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>A device (a CLI) of the device authorization grant (RFC 8628) and a browser, at an address of its own, that approves it on the verification page.</summary>
public abstract class DeviceFlowTestBase<TFixture>(TFixture fixture) : AuthorizeFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    protected const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    protected sealed record DeviceStart(string DeviceCode, string UserCode, string VerificationUri, string VerificationUriComplete, int ExpiresIn, int Interval);

    protected Task<App> NewDeviceAppAsync(string type = "public", string[]? grants = null, string[]? scopes = null) =>
        NewAppAsync(type, requireConsent: true, scopes: scopes, grants: grants ?? [DeviceGrant, "refresh_token"]);

    /// <summary>
    /// A browser with cookies over HTTPS, connected from an address of its own: the verification
    /// page throttles wrong codes per address, and each test keeps to its own.
    /// </summary>
    protected HttpClient NewBrowserAt(string? address = null)
    {
        address ??= $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var server = Factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address));
        return new HttpClient(new CookieContainerHandler { InnerHandler = server }) { BaseAddress = new Uri("https://localhost") };
    }

    protected Task<HttpResponseMessage> DeviceAuthorizationAsync(App app, string? scope = "openid profile", string? secret = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("client_id", app.ClientId) };
        if ((secret ?? app.Secret) is { } s)
        {
            form.Add(new("client_secret", s));
        }

        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        return Client.PostAsync("/oauth/device_authorization", new FormUrlEncodedContent(form));
    }

    protected async Task<DeviceStart> StartAsync(App app, string? scope = "openid profile")
    {
        var response = await DeviceAuthorizationAsync(app, scope);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return new DeviceStart(
            Str(body, "device_code"), Str(body, "user_code"), Str(body, "verification_uri"), Str(body, "verification_uri_complete"),
            (int)body["expires_in"]!, (int)body["interval"]!);
    }

    /// <summary><c>grant_type=urn:ietf:params:oauth:grant-type:device_code</c> for <paramref name="app"/>, read back as a result.</summary>
    protected async Task<Result<TokenResponse>> PollAsync(App app, string deviceCode) => ToResult(await PollAtTokenEndpointAsync(app, deviceCode));

    protected Task<HttpResponseMessage> PollAtTokenEndpointAsync(App app, string deviceCode)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", DeviceGrant), new("device_code", deviceCode), new("client_id", app.ClientId) };
        if (app.Secret is not null)
        {
            form.Add(new("client_secret", app.Secret));
        }

        return TokenRequestAsync(form);
    }

    /// <summary>Signs <paramref name="email"/> in on the verification page (the link with the code) and answers the code entry page.</summary>
    protected async Task<HttpResponseMessage> SignInOnTheDevicePageAsync(HttpClient browser, DeviceStart start, string email)
    {
        var link = new Uri(start.VerificationUriComplete);
        var login = await browser.GetAsync(link.PathAndQuery);
        await AssertLoginPageAsync(login);
        var signedIn = await SubmitAsync(browser, login, ("email", email), ("password", Password));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal(link.PathAndQuery, signedIn.Headers.Location!.ToString());
        var entry = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, entry.StatusCode);
        return entry;
    }

    /// <summary>Enters <paramref name="userCode"/> on the code entry page.</summary>
    protected static Task<HttpResponseMessage> EnterCodeAsync(HttpClient browser, HttpResponseMessage entry, string userCode) =>
        SubmitAsync(browser, entry, ("user_code", userCode));

    /// <summary>Registers a user, signs in on the page, enters the code and answers <paramref name="decision"/>; answers the user's email and the last page.</summary>
    protected async Task<(string Email, HttpResponseMessage Page)> DecideOnThePageAsync(DeviceStart start, string decision = "approve", HttpClient? browser = null)
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var own = browser is null ? NewBrowserAt() : null;
        var b = browser ?? own!;
        var entry = await SignInOnTheDevicePageAsync(b, start, email);
        var consent = await EnterCodeAsync(b, entry, start.UserCode);
        var html = await consent.Content.ReadAsStringAsync();
        Assert.True(consent.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("value=\"approve\"", html, StringComparison.Ordinal);
        var done = await SubmitAsync(b, consent, ("decision", decision));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        return (email, done);
    }

    protected Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => Factory.Database.ScalarAsync<long>(sql, parameters);
}
