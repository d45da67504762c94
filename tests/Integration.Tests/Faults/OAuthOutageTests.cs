// Longer than 150 lines because one scenario runs from before a PostgreSQL stop to after its restart, over every OAuth endpoint.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// Issue 9 under issue 8's fault: PostgreSQL stopped under a running app. Every OAuth endpoint that
/// needs the database (every grant of <c>/oauth/token</c>, revoke, introspect, userinfo, the
/// authorize and device pages and their POSTs, the device authorization endpoint, the clients and
/// service-accounts REST API) answers 503 <c>service_unavailable</c> with <c>Retry-After</c>: never
/// 500, never a redirect (a client not in memory has no validated redirect URI). A client held in
/// the registration cache (ADR 0015) whose secret matches still gets a client-credentials token:
/// that grant needs nothing but the cache and the signing key. When the server is back, the same
/// app serves again without a restart. Runs on its own server (<see cref="FaultsPostgres"/>).
/// </summary>
public sealed class OAuthOutageTests
{
    private const string Password = "oauth outage passphrase";
    private const string Redirect = "https://app.example.com/callback";
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostgresStopped_EveryOAuthEndpointAnswers503NeverARedirect_AndRecovers()
    {
        var server = FaultsPostgres.FromEnvironment();
        await using var database = await TestDatabase.CreateOnServerAsync(server.ConnectionString);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?> { ["Database:CommandTimeoutSeconds"] = "2" });
        using var client = app.CreateClient();
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });

        var email = $"oauth-outage-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Outage" })).StatusCode);
        var session = (string)(await JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })))["token"]!;
        var account = await JsonAsync(await SendJsonAsync(client, HttpMethod.Post, "/api/v1/service-accounts", session, new { name = "resource server", scopes = new[] { "profile" } }));
        var (accountId, accountSecret) = ((string)account["client_id"]!, (string)account["client_secret"]!);
        var accountToken = (string)(await JsonAsync(await TokenAsync(client, accountId, accountSecret, ("grant_type", "client_credentials"))))["access_token"]!;
        var oauthApp = await JsonAsync(await SendJsonAsync(client, HttpMethod.Post, "/api/v1/oauth/clients", session, new
        {
            name = "Outage app",
            type = "confidential",
            redirect_uris = new[] { Redirect },
            grant_types = new[] { "authorization_code", "refresh_token", DeviceGrant },
            scopes = new[] { "openid", "profile" },
            require_consent = true,
        }));
        var (appId, appSecret) = ((string)oauthApp["client_id"]!, (string)oauthApp["client_secret"]!);
        var authorize = $"/oauth/authorize?response_type=code&client_id={appId}&redirect_uri={Uri.EscapeDataString(Redirect)}&scope=openid&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        var loginPage = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        using var signedIn = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });
        var consent = await HtmlForms.SubmitAsync(signedIn, await signedIn.GetAsync(authorize), ("email", email), ("password", Password));
        var approved = await HtmlForms.SubmitAsync(signedIn, consent, ("decision", "approve"));
        var code = Regex.Match(approved.Headers.Location!.ToString(), "[?&]code=([^&]+)").Groups[1].Value;
        var issued = await JsonAsync(await TokenAsync(client, appId, appSecret, ("grant_type", "authorization_code"), ("code", Uri.UnescapeDataString(code)), ("redirect_uri", Redirect), ("code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")));
        var (userToken, refreshToken) = ((string)issued["access_token"]!, (string)issued["refresh_token"]!);
        var deviceLogin = await browser.GetAsync("/oauth/device");
        Assert.Equal(HttpStatusCode.OK, deviceLogin.StatusCode);
        var codeEntry = await signedIn.GetAsync("/oauth/device");
        Assert.Contains("name=\"user_code\"", await codeEntry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = "oc_" + Guid.NewGuid().ToString("N");

        await server.StopAsync();
        try
        {
            // The token endpoint, every grant, with the cached app (the code or token needs the database) and with a client not in memory.
            await AssertUnavailableAsync(await TokenAsync(client, appId, appSecret, ("grant_type", "authorization_code"), ("code", "c0de"), ("redirect_uri", Redirect), ("code_verifier", new string('v', 43))), "authorization_code");
            await AssertUnavailableAsync(await TokenAsync(client, appId, appSecret, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)), "refresh_token");
            await AssertUnavailableAsync(await TokenAsync(client, appId, appSecret, ("grant_type", DeviceGrant), ("device_code", "d3vice")), "device_code");
            await AssertUnavailableAsync(await TokenAsync(client, unknown, "secret", ("grant_type", "password"), ("username", email), ("password", Password)), "password");
            await AssertUnavailableAsync(await TokenAsync(client, unknown, "secret", ("grant_type", "client_credentials")), "client_credentials of a client not in memory");

            // ADR 0015: the cached account whose secret matches still gets a token; a wrong secret gets none
            // (its failure is recorded and audited, which needs the database: 503, not 401).
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, accountId, accountSecret, ("grant_type", "client_credentials"))).StatusCode);
            await AssertUnavailableAsync(await TokenAsync(client, accountId, accountSecret + "x", ("grant_type", "client_credentials")), "client_credentials with a wrong secret");

            await AssertUnavailableAsync(await FormAsync(client, "/oauth/revoke", accountId, accountSecret, ("token", accountToken)), "revoke");
            // Introspection of an access token this instance has verified answers from memory, as /api/v1/auth/verify does.
            var introspection = await FormAsync(client, "/oauth/introspect", accountId, accountSecret, ("token", accountToken));
            Assert.Equal(HttpStatusCode.OK, introspection.StatusCode);
            Assert.Equal(true, (bool?)(await JsonAsync(introspection))["active"]);
            await AssertUnavailableAsync(await FormAsync(client, "/oauth/introspect", accountId, accountSecret, ("token", "an-opaque-refresh-token")), "introspect of a token not in memory");
            await AssertUnavailableAsync(await FormAsync(client, "/oauth/device_authorization", appId, appSecret, ("scope", "openid")), "device_authorization");
            await AssertUnavailableAsync(await FormAsync(client, "/oauth/device_authorization", unknown, "secret", ("scope", "openid")), "device_authorization of a client not in memory");
            using (var userinfo = new HttpRequestMessage(HttpMethod.Get, "/oauth/userinfo"))
            {
                userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
                await AssertUnavailableAsync(await client.SendAsync(userinfo), "userinfo");
            }

            // The pages: a client not in memory is never redirected to (its redirect URI is not validated).
            await AssertUnavailableAsync(await browser.GetAsync($"/oauth/authorize?response_type=code&client_id={unknown}&redirect_uri={Uri.EscapeDataString("https://evil.example/cb")}&scope=openid&state=s"), "authorize of a client not in memory");
            var malformed = await browser.GetAsync($"/oauth/authorize?response_type=code&client_id=x{unknown}&redirect_uri={Uri.EscapeDataString("https://evil.example/cb")}&scope=openid&state=s");
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Null(malformed.Headers.Location);
            await AssertUnavailableAsync(await HtmlForms.SubmitAsync(browser, loginPage, ("email", email), ("password", Password)), "authorize login");
            await AssertUnavailableAsync(await HtmlForms.SubmitAsync(browser, deviceLogin, ("email", email), ("password", Password)), "device page login");
            await AssertUnavailableAsync(await HtmlForms.SubmitAsync(signedIn, codeEntry, ("user_code", "BCDF-GHJK")), "device code entry");

            // The REST API.
            await AssertUnavailableAsync(await SendJsonAsync(client, HttpMethod.Get, "/api/v1/oauth/clients", session, null), "list clients");
            await AssertUnavailableAsync(await SendJsonAsync(client, HttpMethod.Post, "/api/v1/oauth/clients", session, new { name = "late", type = "public", redirect_uris = new[] { Redirect }, grant_types = new[] { "authorization_code" }, scopes = new[] { "openid" } }), "create client");
            await AssertUnavailableAsync(await SendJsonAsync(client, HttpMethod.Get, "/api/v1/service-accounts", session, null), "list service accounts");
            await AssertUnavailableAsync(await SendJsonAsync(client, HttpMethod.Post, "/api/v1/service-accounts", session, new { name = "late", scopes = new[] { "profile" } }), "create service account");
        }
        finally
        {
            await server.StartAsync();
        }

        var recovering = Stopwatch.StartNew();
        await EventuallyOkAsync(() => TokenAsync(client, appId, appSecret, ("grant_type", DeviceGrant), ("device_code", "d3vice")), "device_code", recovering, HttpStatusCode.BadRequest);
        await EventuallyOkAsync(() => FormAsync(client, "/oauth/introspect", accountId, accountSecret, ("token", accountToken)), "introspect", recovering, HttpStatusCode.OK);
        await EventuallyOkAsync(() => SendJsonAsync(client, HttpMethod.Get, "/api/v1/oauth/clients", session, null), "list clients", recovering, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await FormAsync(client, "/oauth/device_authorization", appId, appSecret, ("scope", "openid"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(client, appId, appSecret, ("grant_type", "refresh_token"), ("refresh_token", refreshToken))).StatusCode);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM service_accounts WHERE name = 'late'"));
        Assert.DoesNotContain("Unhandled exception", app.Logs.AllText, StringComparison.Ordinal);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string call)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{call} during the outage answered {(int)response.StatusCode} {response.Headers.Location}: {body}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("service_unavailable", (string?)JsonNode.Parse(body)!["code"]);
        Assert.True(response.Headers.RetryAfter is not null, $"{call}: 503 without Retry-After");
    }

    private static async Task EventuallyOkAsync(Func<Task<HttpResponseMessage>> call, string name, Stopwatch since, HttpStatusCode expected)
    {
        while (true)
        {
            var response = await call();
            if (response.StatusCode == expected)
            {
                return;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{name} while the server came back answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.True(since.Elapsed < RecoveryDeadline, $"{name} still answered 503 {RecoveryDeadline.TotalSeconds} s after the server was started again.");
            await Task.Delay(200);
        }
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient client, string clientId, string secret, params (string Name, string Value)[] fields) =>
        FormAsync(client, "/oauth/token", clientId, secret, fields);

    private static Task<HttpResponseMessage> FormAsync(HttpClient client, string url, string clientId, string secret, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string url, string token, object? body)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
