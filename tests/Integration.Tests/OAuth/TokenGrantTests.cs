// Longer than 150 lines because every grant of the token endpoint (code, refresh, password, client credentials for registered clients) and their shared rules are proven here on both databases.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// SPEC section 6, AC-02 to AC-04, RT-01 to RT-03, RT-06, RT-07, CL-01 to CL-05: <c>POST /oauth/token</c>
/// for registered OAuth clients, with codes obtained through the real login and consent pages.
/// </summary>
public abstract class TokenGrantTests<TFixture>(TFixture fixture) : AuthorizeFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Issuer = "http://localhost:8080";

    private async Task<(App App, Pkce Pkce, string Code, string Email)> CodeAsync(
        string type = "confidential", string scope = "openid profile api_keys:read", string[]? grants = null)
    {
        var app = await NewAppAsync(type, requireConsent: false, grants: grants);
        var pkce = Pkce.New();
        using var browser = NewBrowser();
        var (email, redirect) = await SignInAndApproveAsync(browser, app, AuthorizeUrl(app, pkce, scope: scope));
        return (app, pkce, redirect["code"], email);
    }

    private async Task<(App App, JsonObject Tokens)> TokensAsync(string type = "confidential")
    {
        var (app, pkce, code, _) = await CodeAsync(type);
        var response = await RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (app, await ReadObjectAsync(response));
    }

    private async Task<App> NewFirstPartyAppAsync(string[] grants, string[]? scopes = null)
    {
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        var response = await PostJsonAsync("/api/v1/oauth/clients", new
        {
            name = "Our own app", type = "confidential", redirect_uris = new[] { Redirect }, grant_types = grants,
            scopes = scopes ?? ["openid", "profile", "api_keys:read"], first_party = true,
        }, Str(admin, "token"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var client = await ReadObjectAsync(response);
        return new App(Str(client, "client_id"), Str(client, "client_secret"), "confidential");
    }

    private Task<HttpResponseMessage> PasswordGrantAsync(App app, string username, string password, string? scope = null)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "password"), new("username", username), new("password", password), new("client_id", app.ClientId), new("client_secret", app.Secret!),
        };
        if (scope is not null)
        {
            form.Add(new("scope", scope));
        }

        return TokenRequestAsync(form);
    }

    private static string Basic(string id, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}"));

    /// <summary>An RFC 6749 error: status, code, a description, JSON, <c>no-store</c> and <c>Pragma: no-cache</c>.</summary>
    private static async Task<JsonObject> AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        Assert.True("application/json" == response.Content.Headers.ContentType?.MediaType, text);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(error, (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["error_description"]));
        Assert.Null(body["access_token"]);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("no-cache", response.Headers.Pragma.ToString(), StringComparison.Ordinal);
        return body;
    }

    private async Task<HttpStatusCode> VerifyAsync(string accessToken) => (await GetAsync("/api/v1/auth/verify", accessToken)).StatusCode;

    // ---- authorization_code ----

    [Fact]
    public async Task Code_WithPkceByBasic_AnswersTokensAndAnIdTokenWithNonceAudIssAndAuthTime()
    {
        var (app, pkce, code, email) = await CodeAsync();
        var form = new[] { P("grant_type", "authorization_code"), P("code", code), P("redirect_uri", Redirect), P("code_verifier", pkce.Verifier) };

        var response = await TokenRequestAsync(form, Basic(app.ClientId, app.Secret!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var tokens = await ReadObjectAsync(response);
        Assert.Equal("Bearer", Str(tokens, "token_type"));
        Assert.Equal("openid profile api_keys:read", Str(tokens, "scope"));
        Assert.False(string.IsNullOrEmpty(Str(tokens, "refresh_token")));
        var jwks = new JsonWebKeySet(await (await Client.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync());
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(Str(tokens, "id_token"), new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = app.ClientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            LifetimeValidator = (_, _, _, _) => true, // the test's clock is not the host's
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var idToken = (JsonWebToken)validation.SecurityToken;
        Assert.Equal("n-0S6_WzA2Mj", idToken.GetPayloadValue<string>("nonce"));
        Assert.Equal(app.ClientId, idToken.GetPayloadValue<string>("aud"));
        Assert.Equal(Issuer, idToken.Issuer);
        var user = await LoginAsync(email);
        Assert.Equal(Str(user["user"], "id"), idToken.Subject);
        Assert.True(idToken.TryGetPayloadValue<long>("auth_time", out var authTime));
        Assert.InRange(authTime, Factory.Clock.GetUtcNow().AddMinutes(-5).ToUnixTimeSeconds(), Factory.Clock.GetUtcNow().ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(tokens, "access_token")));
    }

    [Fact]
    public async Task Code_WithAWrongVerifier_IsInvalidGrant()
    {
        var (app, _, code, _) = await CodeAsync();

        await AssertOAuthErrorAsync(await RedeemAtTokenEndpointAsync(app, code, verifier: Pkce.New().Verifier), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_PublicClientWithoutVerifier_IsInvalidGrant_AndWithItSucceedsWithClientIdOnly()
    {
        var (app, pkce, code, _) = await CodeAsync(type: "public");
        Assert.Null(app.Secret);

        var body = await AssertOAuthErrorAsync(await RedeemAtTokenEndpointAsync(app, code), HttpStatusCode.BadRequest, "invalid_grant");

        Assert.Contains("code_verifier", (string)body["error_description"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier)).StatusCode);
    }

    [Fact]
    public async Task Code_PublicClientPresentingASecret_IsInvalidClient()
    {
        var (app, pkce, code, _) = await CodeAsync(type: "public");

        var response = await RedeemAtTokenEndpointAsync(app with { Secret = "made-up-secret" }, code, verifier: pkce.Verifier);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_WithAnotherRedirectUri_IsInvalidGrant()
    {
        var (app, pkce, code, _) = await CodeAsync();

        await AssertOAuthErrorAsync(
            await RedeemAtTokenEndpointAsync(app, code, "https://app.example.com/callback/", pkce.Verifier), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Code_WithAWrongSecret_IsInvalidClientAndTheCodeStillWorks()
    {
        var (app, pkce, code, _) = await CodeAsync();

        await AssertOAuthErrorAsync(
            await RedeemAtTokenEndpointAsync(app with { Secret = "wrong" }, code, verifier: pkce.Verifier), HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier)).StatusCode);
    }

    [Fact]
    public async Task Code_Replayed_IsInvalidGrantAndStopsTheFirstAccessAndRefreshTokens()
    {
        var (app, pkce, code, _) = await CodeAsync();
        var first = await ReadObjectAsync(await RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(first, "access_token")));

        await AssertOAuthErrorAsync(await RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier), HttpStatusCode.BadRequest, "invalid_grant");

        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(app, Str(first, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(Str(first, "access_token")));
    }

    [Fact]
    public async Task Code_TenParallelRedemptions_ExactlyOneSucceeds()
    {
        var (app, pkce, code, _) = await CodeAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task Code_ClientNotRegisteredForTheGrant_IsUnauthorizedClient()
    {
        var app = await NewAppAsync(grants: ["client_credentials"], scopes: ["profile"]);

        await AssertOAuthErrorAsync(await RedeemAtTokenEndpointAsync(app, "some-code"), HttpStatusCode.BadRequest, "unauthorized_client");
    }

    // ---- refresh_token ----

    [Fact]
    public async Task Refresh_RotatesAndAReplayRevokesTheFamily()
    {
        var (app, first) = await TokensAsync();

        var rotated = await RefreshAtTokenEndpointAsync(app, Str(first, "refresh_token"));

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = await ReadObjectAsync(rotated);
        Assert.NotEqual(Str(first, "refresh_token"), Str(second, "refresh_token"));
        Assert.Equal("openid profile api_keys:read", Str(second, "scope"));
        Assert.Null(second["id_token"]);
        Assert.Equal(app.ClientId, new JsonWebToken(Str(second, "access_token")).GetPayloadValue<string>("client_id"));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(second, "access_token")));
        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(app, Str(first, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
        // The replay revoked the family, and with it the access token the rotation had issued (a thief's, maybe).
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(Str(second, "access_token")));
        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(app, Str(second, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revocation_reason = 'refresh_token_reused'", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task Refresh_ByAnotherClient_IsInvalidGrantAndChangesNothing()
    {
        var (_, tokens) = await TokensAsync();
        var other = await NewAppAsync();

        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(other, Str(tokens, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
        var atSessionEndpoint = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(tokens, "refresh_token") });
        Assert.Equal(HttpStatusCode.Unauthorized, atSessionEndpoint.StatusCode);
        Assert.Equal(0L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM refresh_token_families WHERE revoked_at IS NOT NULL AND client_id IS NOT NULL"));
    }

    [Fact]
    public async Task Refresh_TwentyInParallelWithOneToken_ExactlyOneSucceeds()
    {
        var (app, tokens) = await TokensAsync("public");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token")))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await AssertOAuthErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant");
        }
    }

    [Fact]
    public async Task Refresh_NarrowerScope_GetsIt_WiderScopeIsInvalidScopeAndTheTokenStillWorks()
    {
        var (app, tokens) = await TokensAsync();

        await AssertOAuthErrorAsync(
            await RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token"), "openid api_keys:write"), HttpStatusCode.BadRequest, "invalid_scope");
        var narrowed = await RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token"), "api_keys:read");

        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        var body = await ReadObjectAsync(narrowed);
        Assert.Equal("api_keys:read", Str(body, "scope"));
        Assert.Equal("api_keys:read", new JsonWebToken(Str(body, "access_token")).GetPayloadValue<string>("scope"));
        var again = await ReadObjectAsync(await RefreshAtTokenEndpointAsync(app, Str(body, "refresh_token")));
        Assert.Equal("openid profile api_keys:read", Str(again, "scope")); // the grant itself keeps its scope
    }

    [Fact]
    public async Task Refresh_OfAGrantWithAScopeTheClientNoLongerHas_IsInvalidGrant()
    {
        var (app, tokens) = await TokensAsync();
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        var clients = await ReadArrayAsync(await GetAsync("/api/v1/oauth/clients", Str(admin, "token")));
        var id = Str(clients.Select(c => c!.AsObject()).Single(c => Str(c, "client_id") == app.ClientId), "id");

        var patched = await SendAsync(
            HttpMethod.Patch, $"/api/v1/oauth/clients/{id}", JsonContent.Create(new { scopes = new[] { "openid", "profile", "email" } }), Str(admin, "token"));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        // The grant holds api_keys:read, which the client may no longer ask for: not renewed.
        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task Refresh_AfterTheUsersPasswordChanged_IsInvalidGrant()
    {
        var (app, pkce, code, email) = await CodeAsync();
        var tokens = await ReadObjectAsync(await RedeemAtTokenEndpointAsync(app, code, verifier: pkce.Verifier));
        var session = await LoginAsync(email);

        var changed = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "a-brand-new-long-passphrase" }, Str(session, "token"));
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());

        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token")), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(Str(tokens, "access_token")));
    }

    // ---- password ----

    [Fact]
    public async Task Password_FirstPartyClientRegisteredForIt_GetsAnAccessAndRefreshToken()
    {
        var app = await NewFirstPartyAppAsync(["password", "refresh_token"]);
        var email = NewEmail();
        await RegisterAsync(email);

        var response = await PasswordGrantAsync(app, email, Password, "profile api_keys:read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await ReadObjectAsync(response);
        Assert.Equal("profile api_keys:read", Str(tokens, "scope"));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(tokens, "access_token")));
        Assert.Equal(app.ClientId, new JsonWebToken(Str(tokens, "access_token")).GetPayloadValue<string>("client_id"));
        Assert.Equal(HttpStatusCode.OK, (await RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token"))).StatusCode);
        await AssertOAuthErrorAsync(await PasswordGrantAsync(app, email, Password, "admin"), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task Password_ClientNotRegisteredForIt_IsUnauthorizedClient()
    {
        var app = await NewAppAsync();
        var email = NewEmail();
        await RegisterAsync(email);

        await AssertOAuthErrorAsync(await PasswordGrantAsync(app, email, Password), HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Password_UserWithTwoFactor_IsInvalidGrantSayingASecondFactorIsRequired()
    {
        var app = await NewFirstPartyAppAsync(["password"]);
        var email = NewEmail();
        await RegisterAsync(email);
        await EnableTwoFactorAsync(email);

        var body = await AssertOAuthErrorAsync(await PasswordGrantAsync(app, email, Password), HttpStatusCode.BadRequest, "invalid_grant");

        Assert.Contains("second factor", (string)body["error_description"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_WrongPasswordsLockLikeTheLogin_AndUnknownAddressesAnswerAlike()
    {
        var app = await NewFirstPartyAppAsync(["password"]);
        var email = NewEmail();
        await RegisterAsync(email);

        var wrong = await AssertOAuthErrorAsync(await PasswordGrantAsync(app, email, "not the password"), HttpStatusCode.BadRequest, "invalid_grant");
        var unknown = await AssertOAuthErrorAsync(await PasswordGrantAsync(app, NewEmail(), "not the password"), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(wrong.ToJsonString(), unknown.ToJsonString());
        for (var i = 1; i < 10; i++)
        {
            await AssertOAuthErrorAsync(await PasswordGrantAsync(app, email, "not the password"), HttpStatusCode.BadRequest, "invalid_grant");
        }

        await AssertOAuthErrorAsync(await PasswordGrantAsync(app, email, Password), HttpStatusCode.BadRequest, "invalid_grant");
        await AssertProblemAsync(await ApiLoginAsync(email, Password), (HttpStatusCode)423, "account_locked");
    }

    // ---- client authentication and client credentials for registered clients ----

    [Fact]
    public async Task ClientCredentials_ForARegisteredClientByBasicOrForm_ActsAsTheClientWithinItsScopes()
    {
        var app = await NewAppAsync(grants: ["client_credentials"], scopes: ["profile", "api_keys:read"]);
        var form = new[] { P("grant_type", "client_credentials") };

        var byBasic = await TokenRequestAsync(form, Basic(app.ClientId, app.Secret!));
        var byForm = await TokenRequestAsync([.. form, P("client_id", app.ClientId), P("client_secret", app.Secret!), P("scope", "profile")]);

        Assert.Equal(HttpStatusCode.OK, byBasic.StatusCode);
        var token = await ReadObjectAsync(byBasic);
        Assert.Equal("profile api_keys:read", Str(token, "scope"));
        Assert.Null(token["refresh_token"]);
        Assert.Equal(app.ClientId, new JsonWebToken(Str(token, "access_token")).Subject);
        Assert.Equal("profile", Str(await ReadObjectAsync(byForm), "scope"));
        await AssertOAuthErrorAsync(
            await TokenRequestAsync([.. form, P("scope", "api_keys:write")], Basic(app.ClientId, app.Secret!)), HttpStatusCode.BadRequest, "invalid_scope");
        await AssertOAuthErrorAsync(await TokenRequestAsync(form, Basic(app.ClientId, "wrong")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task ClientCredentials_ForAClientNotRegisteredForIt_IsUnauthorizedClient()
    {
        var app = await NewAppAsync();

        await AssertOAuthErrorAsync(
            await TokenRequestAsync([P("grant_type", "client_credentials")], Basic(app.ClientId, app.Secret!)), HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Theory]
    [InlineData("implicit")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    public async Task Token_UnknownGrant_IsUnsupportedGrantType(string grant)
    {
        var app = await NewAppAsync();

        await AssertOAuthErrorAsync(
            await TokenRequestAsync([P("grant_type", grant)], Basic(app.ClientId, app.Secret!)), HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task Token_DeviceGrantForAClientNotRegisteredForIt_IsUnauthorizedClient()
    {
        var app = await NewAppAsync();

        await AssertOAuthErrorAsync(
            await TokenRequestAsync([P("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), P("device_code", "x")], Basic(app.ClientId, app.Secret!)),
            HttpStatusCode.BadRequest,
            "unauthorized_client");
    }

    // ---- deleting a client ----

    [Fact]
    public async Task DeleteClient_StopsItsRefreshAndAccessTokensAtOnce()
    {
        var (_, session) = await NewSessionAsync();
        var created = await ReadObjectAsync(await PostJsonAsync("/api/v1/oauth/clients", new
        {
            name = "Doomed", type = "confidential", redirect_uris = new[] { Redirect },
            grant_types = new[] { "authorization_code", "refresh_token", "client_credentials" }, scopes = new[] { "openid", "profile", "api_keys:read" },
            require_consent = false,
        }, Str(session, "token")));
        var app = new App(Str(created, "client_id"), Str(created, "client_secret"), "confidential");
        var pkce = Pkce.New();
        using var browser = NewBrowser();
        var (_, redirect) = await SignInAndApproveAsync(browser, app, AuthorizeUrl(app, pkce, scope: "openid profile api_keys:read"));
        var tokens = await ReadObjectAsync(await RedeemAtTokenEndpointAsync(app, redirect["code"], verifier: pkce.Verifier));
        var own = await ReadObjectAsync(await TokenRequestAsync([P("grant_type", "client_credentials")], Basic(app.ClientId, app.Secret!)));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(tokens, "access_token")));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(own, "access_token")));

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"/api/v1/oauth/clients/{Str(created, "id")}", Str(session, "token"))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(Str(tokens, "access_token")));
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(Str(own, "access_token")));
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NOT NULL", ("@c", app.ClientId)));
        await AssertOAuthErrorAsync(await RefreshAtTokenEndpointAsync(app, Str(tokens, "refresh_token")), HttpStatusCode.Unauthorized, "invalid_client");
    }

    // ---- the form's own limits ----

    [Theory]
    [InlineData("values")]
    [InlineData("many-values")]
    [InlineData("key")]
    [InlineData("value")]
    [InlineData("client-id")]
    public async Task Token_OversizeForm_IsInvalidRequest(string kind)
    {
        var form = new List<KeyValuePair<string, string>> { P("grant_type", "client_credentials"), P("client_id", "oc_x"), P("client_secret", "y") };
        switch (kind)
        {
            case "values":
                form.AddRange(Enumerable.Range(0, 62).Select(i => P($"x{i}", "1")));
                break;
            case "many-values":
                form.AddRange(Enumerable.Range(0, 1100).Select(i => P($"x{i}", "1")));
                break;
            case "key":
                form.Add(P(new string('k', 129), "1"));
                break;
            case "value":
                form.Add(P("scope", new string('a', 8193)));
                break;
            default:
                form[1] = P("client_id", new string('a', 8193));
                break;
        }

        await AssertOAuthErrorAsync(await TokenRequestAsync(form), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_FormAtItsLimits_IsRead()
    {
        var app = await NewAppAsync(grants: ["client_credentials"], scopes: ["profile"]);
        var form = new List<KeyValuePair<string, string>> { P("grant_type", "client_credentials"), P("client_id", app.ClientId), P("client_secret", app.Secret!) };
        form.AddRange(Enumerable.Range(0, 60).Select(i => P($"x{i}", "1")));
        form.Add(P(new string('k', 128), new string('v', 8192)));

        Assert.Equal(HttpStatusCode.OK, (await TokenRequestAsync(form)).StatusCode);
    }

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);
}

public sealed class TokenGrantTestsOnSqlite(SqliteApiFixture fixture) : TokenGrantTests<SqliteApiFixture>(fixture);

public sealed class TokenGrantTestsOnPostgres(PostgresApiFixture fixture) : TokenGrantTests<PostgresApiFixture>(fixture);
