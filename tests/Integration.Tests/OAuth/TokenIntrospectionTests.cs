// Longer than 150 lines because each rule of RFC 7662 (client authentication, the exact inactive answer, the fields of live access tokens) is proven here on both databases.
using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>RFC 7662 and RV-02 through HTTP: <c>POST /oauth/introspect</c>.</summary>
public abstract class TokenIntrospectionTests<TFixture>(TFixture fixture) : TokenEndpointsTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Introspect_LiveClientToken_ReturnsTheRfc7662Fields(bool post)
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        var jwt = new JsonWebToken(token);

        var response = await IntrospectAsync(account, token, post: post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await ReadObjectAsync(response);
        Assert.True((bool)body["active"]!);
        Assert.Equal("profile api_keys:read", Str(body, "scope"));
        Assert.Equal(account.ClientId, Str(body, "client_id"));
        Assert.Equal(account.ClientId, Str(body, "sub"));
        Assert.Equal("Bearer", Str(body, "token_type"));
        Assert.Equal("http://localhost:8080", Str(body, "iss"));
        Assert.Equal("authplatform", Str(body, "aud"));
        Assert.Equal(jwt.Id, Str(body, "jti"));
        Assert.Equal(new DateTimeOffset(jwt.ValidTo).ToUnixTimeSeconds(), (long)body["exp"]!);
        Assert.Equal(new DateTimeOffset(jwt.IssuedAt).ToUnixTimeSeconds(), (long)body["iat"]!);
        Assert.Equal(new DateTimeOffset(jwt.ValidFrom).ToUnixTimeSeconds(), (long)body["nbf"]!);
        Assert.Null(body["username"]); // a client's own token has no user
    }

    [Fact]
    public async Task Introspect_AUsersAccessTokenOfAnApp_NamesTheUserAndTheApp()
    {
        var user = await UserTokensAsync();
        var userId = new JsonWebToken(user.Tokens.AccessToken).Subject;
        var resourceServer = await NewAccountAsync();

        var body = await ReadObjectAsync(await IntrospectAsync(resourceServer, user.Tokens.AccessToken, "access_token"));

        Assert.True((bool)body["active"]!);
        Assert.Equal(userId, Str(body, "sub"));
        Assert.Equal(user.Email, Str(body, "username"));
        Assert.Equal(user.App.ClientId, Str(body, "client_id"));
        Assert.Equal("openid profile email api_keys:read", Str(body, "scope"));
    }

    [Fact]
    public async Task Introspect_AppTokensWithoutTheEmailScope_DoNotShowTheAddress()
    {
        // The user consented to openid and profile only: introspecting the app's own tokens must not
        // hand it the e-mail address it was never granted.
        var user = await UserTokensAsync(scope: "openid profile");

        var access = await ReadObjectAsync(await IntrospectAsync(user.AsClient, user.Tokens.AccessToken, "access_token"));
        var refresh = await ReadObjectAsync(await IntrospectAsync(user.AsClient, user.Tokens.RefreshToken!, "refresh_token"));

        Assert.True((bool)access["active"]!);
        Assert.True((bool)refresh["active"]!);
        Assert.False(access.ContainsKey("username"), access.ToJsonString());
        Assert.False(refresh.ContainsKey("username"), refresh.ToJsonString());
    }

    [Fact]
    public async Task Introspect_ExpiredToken_IsExactlyInactive()
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        Factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        await AssertInactiveAsync(await IntrospectAsync(account, token));
    }

    [Fact]
    public async Task Introspect_RevokedToken_IsExactlyInactive()
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(account, token)).StatusCode);

        await AssertInactiveAsync(await IntrospectAsync(account, token));
    }

    [Fact]
    public async Task Introspect_TokenOfAnOwnerWhoChangedTheirPassword_IsExactlyInactive()
    {
        // Validated like the REST API: the owner's security stamp is checked (ADR 0013).
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        var changed = await PostJsonAsync(
            "/api/v1/auth/password", new { current_password = Password, new_password = "another correct horse battery" }, account.OwnerToken);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await AssertInactiveAsync(await IntrospectAsync(await NewAccountAsync(), token));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")] // alg none
    [InlineData("0123456789abcdefghijklmnopqrstuvwxyzABCDEFG")]
    public async Task Introspect_UnknownOrMalformedToken_IsExactlyInactive(string token)
    {
        await AssertInactiveAsync(await IntrospectAsync(await NewAccountAsync(), token));
    }

    [Fact]
    public async Task Introspect_TamperedToken_IsExactlyInactive()
    {
        var account = await NewAccountAsync();
        var parts = (await AccountTokenAsync(account)).Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["scope"] = "profile api_keys:read admin";
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        await AssertInactiveAsync(await IntrospectAsync(account, tampered));
    }

    [Fact]
    public async Task Introspect_AnotherClientsRefreshToken_IsExactlyInactive()
    {
        var user = await UserTokensAsync();

        await AssertInactiveAsync(await IntrospectAsync(await NewAccountAsync(), user.Tokens.RefreshToken!, "refresh_token"));
    }

    [Fact]
    public async Task Introspect_WithoutClientAuthentication_Returns401InvalidClient()
    {
        var account = await NewAccountAsync();

        var response = await IntrospectAsync(null, await AccountTokenAsync(account));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic realm=\"authplatform\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Introspect_WithAWrongSecret_Returns401InvalidClientAndIsAudited()
    {
        var account = await NewAccountAsync();

        var response = await IntrospectAsync(account, await AccountTokenAsync(account), secret: "wrong-secret-0123456789");

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication_failed' AND client_id = @c", ("@c", account.ClientId)));
    }

    [Fact]
    public async Task Introspect_WithoutToken_Returns400InvalidRequest()
    {
        await AssertOAuthErrorAsync(await FormAsync("/oauth/introspect", [], await NewAccountAsync()), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Introspect_WithJson_Returns400InvalidRequest()
    {
        await AssertOAuthErrorAsync(await PostJsonAsync("/oauth/introspect", new { token = "x" }), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Introspect_OwnCurrentRefreshToken_IsActiveWithItsFields()
    {
        var user = await UserTokensAsync();
        var userId = new JsonWebToken(user.Tokens.AccessToken).Subject;

        var response = await IntrospectAsync(user.AsClient, user.Tokens.RefreshToken!, "refresh_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        Assert.True((bool)body["active"]!);
        Assert.Equal("refresh_token", Str(body, "token_type"));
        Assert.Equal(user.App.ClientId, Str(body, "client_id"));
        Assert.Equal(userId, Str(body, "sub"));
        Assert.Equal(user.Email, Str(body, "username"));
        Assert.Equal("openid profile email api_keys:read", Str(body, "scope"));
        Assert.Equal("http://localhost:8080", Str(body, "iss"));
        Assert.True((long)body["exp"]! > (long)body["iat"]!);
    }

    [Fact]
    public async Task Introspect_RotatedRefreshToken_IsExactlyInactive()
    {
        var user = await UserTokensAsync();
        var refreshed = await FormAsync("/oauth/token", [P("grant_type", "refresh_token"), P("refresh_token", user.Tokens.RefreshToken!)], user.AsClient);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var successor = Str(await ReadObjectAsync(refreshed), "refresh_token");

        await AssertInactiveAsync(await IntrospectAsync(user.AsClient, user.Tokens.RefreshToken!));
        Assert.True((bool)(await ReadObjectAsync(await IntrospectAsync(user.AsClient, successor)))["active"]!);
    }

    [Fact]
    public async Task Introspect_ByAPublicClient_Returns401InvalidClient()
    {
        // RFC 7662 2.1: a public client (client_id alone) cannot introspect.
        var app = await NewAppAsync(type: "public");

        var response = await FormAsync("/oauth/introspect", [P("token", "x"), P("client_id", app.ClientId)], null);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }
}

public sealed class TokenIntrospectionTestsOnSqlite(SqliteApiFixture fixture) : TokenIntrospectionTests<SqliteApiFixture>(fixture);

public sealed class TokenIntrospectionTestsOnPostgres(PostgresApiFixture fixture) : TokenIntrospectionTests<PostgresApiFixture>(fixture);
