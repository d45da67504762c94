// Longer than 150 lines because every answer of the token endpoint for client credentials (RFC 6749 4.4 and 5.2) is tested here.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>SPEC sections 5 and 6 through HTTP: client credentials at <c>/oauth/token</c>, its errors, its tokens on the API, discovery.</summary>
public abstract class ClientCredentialsTests<TFixture>(TFixture fixture) : OAuthTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Token_WithBasicOrPost_ReturnsABearerTokenWithoutRefreshToken(bool post)
    {
        var (_, account) = await NewServiceAccountAsync();

        var response = await ClientCredentialsAsync(account, post: post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoStore(response);
        var body = await ReadObjectAsync(response);
        Assert.Equal("Bearer", Str(body, "token_type"));
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.Equal("profile api_keys:read", Str(body, "scope"));
        Assert.Null(body["refresh_token"]);
        var payload = JsonNode.Parse(Base64UrlDecode(Str(body, "access_token").Split('.')[1]))!;
        Assert.Equal(Str(account, "client_id"), Str(payload, "sub"));
        Assert.Equal(Str(account, "client_id"), Str(payload, "client_id"));
        Assert.Equal("http://localhost:8080", Str(payload, "iss"));
        Assert.Equal("profile api_keys:read", Str(payload, "scope"));
    }

    [Fact]
    public async Task Token_WithBasicCredentialsFormUrlEncoded_IsAccepted()
    {
        // RFC 6749 2.3.1: id and secret are form-urlencoded before base64; a client that skips it sends them raw.
        var (_, account) = await NewServiceAccountAsync();
        var raw = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Str(account, "client_id")}:{Str(account, "client_secret")}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new FormUrlEncodedContent([P("grant_type", "client_credentials")]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", raw);

        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Token_WithNarrowerScope_GetsThatScope_AndBeyondTheAccountGetsInvalidScope()
    {
        var (_, account) = await NewServiceAccountAsync();

        var narrow = await ReadObjectAsync(await ClientCredentialsAsync(account, "profile"));
        var beyond = await ClientCredentialsAsync(account, "profile audit:read");
        var malformed = await ClientCredentialsAsync(account, "Profile");

        Assert.Equal("profile", Str(narrow, "scope"));
        await AssertOAuthErrorAsync(beyond, HttpStatusCode.BadRequest, "invalid_scope");
        await AssertOAuthErrorAsync(malformed, HttpStatusCode.BadRequest, "invalid_scope");
        Assert.Equal(2L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.token_refused'"));
    }

    [Fact]
    public async Task Token_WithWrongSecretByBasic_Returns401InvalidClientWithBasicChallenge()
    {
        var (_, account) = await NewServiceAccountAsync();

        var response = await TokenAsync([P("grant_type", "client_credentials")], (Str(account, "client_id"), "not-the-secret"));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication_failed' AND client_id = @c AND details LIKE '%wrong_secret%'",
            ("@c", Str(account, "client_id"))));
    }

    [Fact]
    public async Task Token_WithWrongSecretByPost_Returns401InvalidClient()
    {
        var (_, account) = await NewServiceAccountAsync();

        var response = await TokenAsync([P("grant_type", "client_credentials"), P("client_id", Str(account, "client_id")), P("client_secret", "nope")]);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sa_doesnotexist0000000000")]
    [InlineData("someone-else")]
    public async Task Token_ForUnknownClient_Returns401InvalidClientAndIsAudited(string clientId)
    {
        var response = await TokenAsync([P("grant_type", "client_credentials")], (clientId, "whatever"));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication_failed' AND details LIKE '%unknown_client%'"));
    }

    [Fact]
    public async Task Token_WithoutAnyClientAuthentication_Returns401InvalidClient()
    {
        var response = await TokenAsync([P("grant_type", "client_credentials")]);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task Token_WithBasicAndPostAtOnce_ReturnsInvalidRequest()
    {
        var (_, account) = await NewServiceAccountAsync();

        var response = await TokenAsync(
            [P("grant_type", "client_credentials"), P("client_id", Str(account, "client_id")), P("client_secret", Str(account, "client_secret"))],
            (Str(account, "client_id"), Str(account, "client_secret")));

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Token_WithoutGrantType_ReturnsInvalidRequest()
    {
        var (_, account) = await NewServiceAccountAsync();

        await AssertOAuthErrorAsync(await TokenAsync([P("scope", "profile")], (Str(account, "client_id"), Str(account, "client_secret"))), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("implicit")]
    [InlineData("urn:made:up")]
    [InlineData("CLIENT_CREDENTIALS")]
    public async Task Token_WithUnknownGrant_ReturnsUnsupportedGrantType(string grant)
    {
        var (_, account) = await NewServiceAccountAsync();

        await AssertOAuthErrorAsync(
            await TokenAsync([P("grant_type", grant)], (Str(account, "client_id"), Str(account, "client_secret"))), HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Theory]
    [InlineData("refresh_token")]
    [InlineData("authorization_code")]
    [InlineData("password")]
    public async Task Token_WithAnotherGrantForAServiceAccount_ReturnsUnauthorizedClient(string grant)
    {
        var (_, account) = await NewServiceAccountAsync();

        await AssertOAuthErrorAsync(
            await TokenAsync([P("grant_type", grant)], (Str(account, "client_id"), Str(account, "client_secret"))), HttpStatusCode.BadRequest, "unauthorized_client");
    }

    [Fact]
    public async Task Token_WithARepeatedParameter_ReturnsInvalidRequest()
    {
        var (_, account) = await NewServiceAccountAsync();

        var response = await TokenAsync(
            [P("grant_type", "client_credentials"), P("scope", "profile"), P("scope", "api_keys:read")], (Str(account, "client_id"), Str(account, "client_secret")));

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("application/json", """{"grant_type":"client_credentials"}""")]
    [InlineData("text/plain", "grant_type=client_credentials")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=client_credentials&%%%=&scope=%ZZ")]
    [InlineData("application/x-www-form-urlencoded", "")]
    public async Task Token_WithHostileBody_ReturnsAClear4xxNever500(string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await Client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
        AssertNoStore(response);
    }

    [Fact]
    public async Task Token_WithHugeValues_ReturnsA4xx()
    {
        var huge = new string('a', 200_000);

        var form = await TokenAsync([P("grant_type", "client_credentials"), P("client_id", huge), P("client_secret", huge)]);
        var basic = await TokenAsync([P("grant_type", "client_credentials")], (huge[..5000], huge[..5000]));
        var scope = await TokenAsync([P("grant_type", "client_credentials"), P("scope", huge[..8000])], ("sa_x", "y"));

        Assert.InRange((int)form.StatusCode, 400, 499);
        await AssertOAuthErrorAsync(basic, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.InRange((int)scope.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Token_MalformedBasicHeader_Returns401InvalidClient()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new FormUrlEncodedContent([P("grant_type", "client_credentials")]) };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64");

        await AssertOAuthErrorAsync(await Client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task AccessToken_OnTheApi_ActsAsTheServiceAccountWithItsScopesOnly()
    {
        var (_, account) = await NewServiceAccountAsync(["profile", "api_keys:read"]);
        var token = Str(await ReadObjectAsync(await ClientCredentialsAsync(account, "profile")), "access_token");

        var verify = await GetAsync("/api/v1/auth/verify", token);
        var me = await GetAsync("/api/v1/auth/me", token);
        var audit = await GetAsync("/api/v1/audit-events", token);
        var narrow = Str(await ReadObjectAsync(await ClientCredentialsAsync(account, "api_keys:read")), "access_token");
        var meWithoutProfile = await GetAsync("/api/v1/auth/me", narrow);

        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var v = await ReadObjectAsync(verify);
        Assert.Equal("oauth", Str(v, "method"));
        Assert.Equal(Str(account, "client_id"), Str(v, "subject"));
        Assert.Equal(Str(account, "client_id"), Str(v, "client_id"));
        Assert.Equal(["profile"], v["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var m = await ReadObjectAsync(me);
        Assert.Equal("oauth", Str(m["auth"], "method"));
        Assert.Equal(Str(account, "id"), Str(m, "id"));
        Assert.Equal("service_account", Str(m, "role"));
        await AssertProblemAsync(meWithoutProfile, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("scope=\"profile\"", meWithoutProfile.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // Account-data calls need a user's session or key: a service account's token is refused there, whatever its scopes.
        await AssertProblemAsync(audit, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task AccessToken_StopsAtOnce_WhenTheServiceAccountIsDeleted()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = Str(await ReadObjectAsync(await ClientCredentialsAsync(account)), "access_token");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", token)).StatusCode); // remembered as verified

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"{Accounts}/{Str(account, "id")}", Str(session, "token"))).StatusCode);

        await AssertProblemAsync(await GetAsync("/api/v1/auth/verify", token), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/me", token), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task AccessToken_LivesOn_WhenOnlyItsSecretIsDeleted()
    {
        var (session, account) = await NewServiceAccountAsync();
        var token = Str(await ReadObjectAsync(await ClientCredentialsAsync(account)), "access_token");

        await DeleteAsync($"{Accounts}/{Str(account, "id")}/secrets/{Str(account, "secret_id")}", Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", token)).StatusCode);
    }

    [Fact]
    public async Task Issuance_IsCountedAndAuditedInBatches()
    {
        var (_, account) = await NewServiceAccountAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(account)).StatusCode);
        }

        await Factory.Services.GetRequiredService<AuthPlatform.Infrastructure.Auditing.BatchedTokenAudit>().FlushAsync(CancellationToken.None);

        Assert.Equal(3L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.token_issued' AND client_id = @c", ("@c", Str(account, "client_id"))));
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task Discovery_ListsIssuerEndpointsAndCapabilities(string url)
    {
        var response = await GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await ReadObjectAsync(response);
        Assert.Equal("http://localhost:8080", Str(doc, "issuer"));
        Assert.Equal("http://localhost:8080/oauth/token", Str(doc, "token_endpoint"));
        Assert.Equal("http://localhost:8080/oauth/authorize", Str(doc, "authorization_endpoint"));
        Assert.Equal("http://localhost:8080/.well-known/jwks.json", Str(doc, "jwks_uri"));
        Assert.Equal("http://localhost:8080/oauth/userinfo", Str(doc, "userinfo_endpoint"));
        Assert.Equal("http://localhost:8080/oauth/revoke", Str(doc, "revocation_endpoint"));
        Assert.Equal("http://localhost:8080/oauth/introspect", Str(doc, "introspection_endpoint"));
        Assert.Equal("http://localhost:8080/oauth/end_session", Str(doc, "end_session_endpoint"));
        string[] Values(string name) => doc[name]!.AsArray().Select(v => (string)v!).ToArray();
        Assert.Equal(["code"], Values("response_types_supported"));
        Assert.Equal(["S256"], Values("code_challenge_methods_supported"));
        Assert.Contains("client_credentials", Values("grant_types_supported"));
        Assert.Contains("urn:ietf:params:oauth:grant-type:device_code", Values("grant_types_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], Values("token_endpoint_auth_methods_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], Values("revocation_endpoint_auth_methods_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post"], Values("introspection_endpoint_auth_methods_supported"));
        Assert.Equal(["public"], Values("subject_types_supported"));
        Assert.Equal(["ES256"], Values("id_token_signing_alg_values_supported"));
        Assert.Contains("service_accounts:read", Values("scopes_supported"));
        // OpenID Connect Discovery 3: the identity scopes a client may ask for are listed, each once (profile is both).
        Assert.Equal(["openid", "email", "profile"], Values("scopes_supported").Take(3));
        Assert.Single(Values("scopes_supported"), s => s == "profile");
        // The issuer is what the tokens carry.
        var (_, account) = await NewServiceAccountAsync();
        var payload = JsonNode.Parse(Base64UrlDecode(Str(await ReadObjectAsync(await ClientCredentialsAsync(account)), "access_token").Split('.')[1]))!;
        Assert.Equal(Str(doc, "issuer"), Str(payload, "iss"));
    }

    private static string Base64UrlDecode(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }
}

public sealed class ClientCredentialsTestsOnSqlite(SqliteApiFixture fixture) : ClientCredentialsTests<SqliteApiFixture>(fixture);

public sealed class ClientCredentialsTestsOnPostgres(PostgresApiFixture fixture) : ClientCredentialsTests<PostgresApiFixture>(fixture);
