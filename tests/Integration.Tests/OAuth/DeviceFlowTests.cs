// Longer than 150 lines because each rule of the device authorization grant (the endpoint, the verification page with its throttle, the polling answers, single use and its race) is proven here on both databases.
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// SPEC section 6, the device authorization grant (RFC 8628): <c>POST /oauth/device_authorization</c>,
/// the verification page <c>/oauth/device</c> driven by a cookie-carrying browser, and
/// <c>grant_type=urn:ietf:params:oauth:grant-type:device_code</c> at <c>POST /oauth/token</c>.
/// </summary>
public abstract partial class DeviceFlowTests<TFixture>(TFixture fixture) : DeviceFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task DeviceAuthorization_ForARegisteredClient_AnswersTheCodesOfRfc8628AndStoresOnlyHashes()
    {
        var app = await NewDeviceAppAsync();

        var response = await DeviceAuthorizationAsync(app);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var userCode = Str(body, "user_code");
        Assert.Matches(UserCodeFormat(), userCode);
        Assert.True(Str(body, "device_code").Length >= 43);
        Assert.Equal("http://localhost:8080/oauth/device", Str(body, "verification_uri"));
        Assert.Equal("http://localhost:8080/oauth/device?user_code=" + userCode, Str(body, "verification_uri_complete"));
        Assert.Equal(600, (int)body["expires_in"]!);
        Assert.Equal(5, (int)body["interval"]!);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM device_authorizations WHERE client_id = @c AND status = 'Pending'", ("@c", app.ClientId)));
        Assert.Equal(0L, await CountAsync(
            "SELECT COUNT(*) FROM device_authorizations WHERE device_code_hash = @d OR user_code_hash IN (@u, @n)",
            ("@d", Str(body, "device_code")), ("@u", userCode), ("@n", userCode.Replace("-", "", StringComparison.Ordinal))));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.device_requested' AND client_id = @c", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task DeviceAuthorization_ClientNotRegisteredForTheGrant_IsUnauthorizedClient()
    {
        var app = await NewAppAsync("public");

        var response = await DeviceAuthorizationAsync(app);

        Assert.Equal("unauthorized_client", await OAuthErrorAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM device_authorizations"));
    }

    [Fact]
    public async Task DeviceAuthorization_ConfidentialClientWithAWrongSecret_IsInvalidClientWithAChallenge()
    {
        var app = await NewDeviceAppAsync("confidential");

        var response = await DeviceAuthorizationAsync(app, secret: "not-the-secret");

        Assert.Equal("invalid_client", await OAuthErrorAsync(response, HttpStatusCode.Unauthorized));
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await DeviceAuthorizationAsync(app)).StatusCode);
    }

    [Fact]
    public async Task DeviceAuthorization_ScopeOutsideTheClients_IsInvalidScope()
    {
        var app = await NewDeviceAppAsync();

        var response = await DeviceAuthorizationAsync(app, "openid admin");

        Assert.Equal("invalid_scope", await OAuthErrorAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task DeviceAuthorization_AsJsonOrWithARepeatedParameter_IsInvalidRequest()
    {
        var app = await NewDeviceAppAsync();

        var json = await PostJsonAsync("/oauth/device_authorization", new { client_id = app.ClientId });
        var repeated = await Client.PostAsync("/oauth/device_authorization", new FormUrlEncodedContent(
            [new("client_id", app.ClientId), new("scope", "openid"), new("scope", "profile")]));

        Assert.Equal("invalid_request", await OAuthErrorAsync(json, HttpStatusCode.BadRequest));
        Assert.Equal("invalid_request", await OAuthErrorAsync(repeated, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task FullFlow_ApprovedOnThePage_IssuesTokensIdTokenAndARefreshTokenOfTheClient()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app, "openid profile email api_keys:read");
        Assert.Equal("authorization_pending", (await PollAsync(app, start.DeviceCode)).Error!.Code);

        var (email, done) = await DecideOnThePageAsync(start);
        Assert.Contains("Device connected", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Factory.Clock.Advance(TimeSpan.FromSeconds(start.Interval));
        var result = await PollAsync(app, start.DeviceCode);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tokens = result.Value!;
        Assert.Equal("openid profile email api_keys:read", tokens.Scope);
        var user = await LoginAsync(email);
        var access = new JsonWebToken(tokens.AccessToken);
        Assert.Equal(app.ClientId, access.GetPayloadValue<string>("client_id"));
        Assert.Equal(Str(user["user"], "id"), access.Subject);
        var idToken = new JsonWebToken(tokens.IdToken);
        Assert.Equal(app.ClientId, idToken.Audiences.Single());
        Assert.Equal(["pwd"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.True(idToken.TryGetPayloadValue<long>("auth_time", out var authTime) && authTime > 0);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", tokens.AccessToken)).StatusCode);
        var refreshed = ToResult(await RefreshAtTokenEndpointAsync(app, tokens.RefreshToken!));
        Assert.True(refreshed.IsSuccess, refreshed.Error?.Message);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c", ("@c", app.ClientId)));
        var grants = await ReadArrayAsync(await GetAsync("/api/v1/auth/grants", Str(user, "token")));
        Assert.Contains(grants, g => Str(g, "client_id") == app.ClientId);
        foreach (var type in new[] { "oauth.device_approved", "oauth.device_redeemed", "oauth.consent_granted" })
        {
            Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = @t AND client_id = @c", ("@t", type), ("@c", app.ClientId)));
        }
    }

    [Fact]
    public async Task FullFlow_ClientWithoutTheRefreshGrant_GetsNoRefreshTokenAndNoIdTokenWithoutOpenId()
    {
        var app = await NewDeviceAppAsync(grants: [DeviceGrant]);
        var start = await StartAsync(app, "profile");
        await DecideOnThePageAsync(start);

        var tokens = (await PollAsync(app, start.DeviceCode)).Value!;

        Assert.Null(tokens.RefreshToken);
        Assert.Null(tokens.IdToken);
        Assert.Equal("profile", tokens.Scope);
    }

    [Fact]
    public async Task Poll_SoonerThanTheInterval_IsSlowDownAndTheIntervalGrowsByFiveSeconds()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        Assert.Equal("authorization_pending", (await PollAsync(app, start.DeviceCode)).Error!.Code);

        Assert.Equal("slow_down", (await PollAsync(app, start.DeviceCode)).Error!.Code);
        Factory.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("slow_down", (await PollAsync(app, start.DeviceCode)).Error!.Code); // 6 s < the 10 s interval now
        Assert.Equal(15L, await CountAsync("SELECT interval_seconds FROM device_authorizations WHERE client_id = @c", ("@c", app.ClientId)));
        Factory.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("authorization_pending", (await PollAsync(app, start.DeviceCode)).Error!.Code);
    }

    [Fact]
    public async Task Poll_AfterExpiry_IsExpiredTokenAndThePageRefusesTheCode()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowserAt();
        var entry = await SignInOnTheDevicePageAsync(browser, start, email);

        Factory.Clock.Advance(TimeSpan.FromSeconds(start.ExpiresIn));

        var poll = await PollAtTokenEndpointAsync(app, start.DeviceCode);
        Assert.Equal(HttpStatusCode.BadRequest, poll.StatusCode);
        Assert.Equal("expired_token", ToResult(poll).Error!.Code);
        var refused = await EnterCodeAsync(browser, entry, start.UserCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.DoesNotContain("value=\"approve\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_AfterTheUserDenied_IsAccessDenied()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);

        var (_, done) = await DecideOnThePageAsync(start, "deny");

        Assert.Contains("Request denied", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("access_denied", (await PollAsync(app, start.DeviceCode)).Error!.Code);
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c", ("@c", app.ClientId)));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM user_grants WHERE client_id = @c", ("@c", app.ClientId)));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.device_denied' AND client_id = @c", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task Poll_ByAnotherClient_IsInvalidGrantAndLeavesTheDeviceCodeToItsClient()
    {
        var app = await NewDeviceAppAsync();
        var other = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        await DecideOnThePageAsync(start);

        Assert.Equal("invalid_grant", (await PollAsync(other, start.DeviceCode)).Error!.Code);

        Assert.True((await PollAsync(app, start.DeviceCode)).IsSuccess);
    }

    [Fact]
    public async Task Poll_ByAClientNotRegisteredForTheGrant_IsUnauthorizedClient()
    {
        var app = await NewDeviceAppAsync();
        var codeApp = await NewAppAsync("confidential");
        var start = await StartAsync(app);

        Assert.Equal("unauthorized_client", (await PollAsync(codeApp, start.DeviceCode)).Error!.Code);
    }

    [Fact]
    public async Task Poll_WithAnUnknownOrMissingDeviceCode_IsInvalidGrantOrInvalidRequest()
    {
        var app = await NewDeviceAppAsync();

        Assert.Equal("invalid_grant", (await PollAsync(app, "not-a-device-code")).Error!.Code);
        Assert.Equal("invalid_request", (await PollAsync(app, "")).Error!.Code);
    }

    [Fact]
    public async Task Redeem_Twice_IsInvalidGrant()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        await DecideOnThePageAsync(start);
        Assert.True((await PollAsync(app, start.DeviceCode)).IsSuccess);

        var second = await PollAsync(app, start.DeviceCode);

        Assert.Equal("invalid_grant", second.Error!.Code);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task Redeem_TwentyInParallel_ExactlyOneSucceeds()
    {
        var app = await NewDeviceAppAsync("confidential");
        var start = await StartAsync(app);
        await DecideOnThePageAsync(start);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => PollAsync(app, start.DeviceCode))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => r.IsFailure), r => Assert.Equal("invalid_grant", r.Error!.Code));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c", ("@c", app.ClientId)));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.device_redeemed' AND client_id = @c", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task VerificationPage_ACodeAlreadyApproved_CannotBeDecidedAgain()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        await DecideOnThePageAsync(start);
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowserAt();
        var entry = await SignInOnTheDevicePageAsync(browser, start, email);

        var refused = await EnterCodeAsync(browser, entry, start.UserCode);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.device_approved' AND client_id = @c", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task VerificationPage_CodeInLowerCaseWithoutTheDash_IsTheSameCode()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowserAt();
        var entry = await SignInOnTheDevicePageAsync(browser, start, email);

        var consent = await EnterCodeAsync(browser, entry, start.UserCode.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());

        var html = await consent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("Acme &lt;Dashboard&gt;", html, StringComparison.Ordinal); // the client's name, encoded
        Assert.Contains("Sign you in and know who you are", html, StringComparison.Ordinal); // the consent page's words for openid
        Assert.Contains(start.UserCode, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerificationPage_WrongCodes_AreThrottledPerAddressAndTheRightCodeIsRefusedToo()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowserAt();
        var entry = await SignInOnTheDevicePageAsync(browser, start, email);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await EnterCodeAsync(browser, entry, "BBBB-BBB" + "CDFGH"[i]);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var throttled = await EnterCodeAsync(browser, entry, start.UserCode);

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.True(int.Parse(throttled.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.DoesNotContain("value=\"approve\"", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("authorization_pending", (await PollAsync(app, start.DeviceCode)).Error!.Code);
        Assert.Equal(6L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.device_user_code_rejected'"));
    }

    [Fact]
    public async Task VerificationPage_WrongCodes_AreThrottledPerPersonAcrossAddresses()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);

        for (var i = 0; i < 5; i++)
        {
            using var browser = NewBrowserAt();
            var entry = await SignInOnTheDevicePageAsync(browser, start, email);
            Assert.Equal(HttpStatusCode.BadRequest, (await EnterCodeAsync(browser, entry, "ZZZZ-ZZZ" + "CDFGH"[i])).StatusCode);
        }

        using var fresh = NewBrowserAt();
        var last = await SignInOnTheDevicePageAsync(fresh, start, email);
        Assert.Equal((HttpStatusCode)429, (await EnterCodeAsync(fresh, last, start.UserCode)).StatusCode);
    }

    [Fact]
    public async Task VerificationPage_PostWithoutTheAntiforgeryToken_IsRefusedAndDecidesNothing()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);
        using var browser = NewBrowserAt();
        await SignInOnTheDevicePageAsync(browser, start, email);

        var forged = await browser.PostAsync("/oauth/device/decision", new FormUrlEncodedContent(
            [new("user_code", start.UserCode), new("decision", "approve")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("authorization_pending", (await PollAsync(app, start.DeviceCode)).Error!.Code);
    }

    [Fact]
    public async Task VerificationPage_WithoutASignIn_ShowsTheLoginFormThatPostsToTheDevicePages()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        using var browser = NewBrowserAt();

        var page = await browser.GetAsync(new Uri(start.VerificationUriComplete).PathAndQuery);

        await AssertLoginPageAsync(page);
        Assert.Contains("action=\"/oauth/device/login?user_code=" + start.UserCode + "\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerificationPage_UserWithTwoFactor_SignsInWithTheSecondFactorAndApproves()
    {
        var app = await NewDeviceAppAsync();
        var start = await StartAsync(app);
        var email = NewEmail();
        await RegisterAsync(email);
        var secret = await EnableTwoFactorAsync(email);
        using var browser = NewBrowserAt();
        var login = await browser.GetAsync(new Uri(start.VerificationUriComplete).PathAndQuery);

        var challenge = await SubmitAsync(browser, login, ("email", email), ("password", Password));
        Assert.Contains("action=\"/oauth/device/2fa", await challenge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var signedIn = await SubmitAsync(browser, challenge, ("code", IndependentTotp.Code(secret, Factory.Clock.GetUtcNow())));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var consent = await EnterCodeAsync(browser, await browser.GetAsync(signedIn.Headers.Location), start.UserCode);
        await SubmitAsync(browser, consent, ("decision", "approve"));

        var tokens = (await PollAsync(app, start.DeviceCode)).Value!;
        Assert.Contains("otp", new JsonWebToken(tokens.IdToken).Claims.Where(c => c.Type == "amr").Select(c => c.Value));
    }

    [Fact]
    public async Task Discovery_ListsTheDeviceEndpointAndGrant()
    {
        var metadata = await ReadObjectAsync(await Client.GetAsync("/.well-known/openid-configuration"));

        Assert.Equal("http://localhost:8080/oauth/device_authorization", Str(metadata, "device_authorization_endpoint"));
        Assert.Contains(DeviceGrant, metadata["grant_types_supported"]!.AsArray().Select(g => (string)g!));
    }

    private static async Task<string> OAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.False(string.IsNullOrEmpty((string?)body["error_description"]));
        return Str(body, "error");
    }

    [GeneratedRegex("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")]
    private static partial Regex UserCodeFormat();
}

public sealed class DeviceFlowTestsOnSqlite(SqliteApiFixture fixture) : DeviceFlowTests<SqliteApiFixture>(fixture);

public sealed class DeviceFlowTestsOnPostgres(PostgresApiFixture fixture) : DeviceFlowTests<PostgresApiFixture>(fixture);
