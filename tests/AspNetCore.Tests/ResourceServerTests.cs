using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.AspNetCore.Tests;

/// <summary>
/// The sample resource server, using AuthPlatform.AspNetCore, against the real AuthPlatform
/// server: each credential the server issues is accepted or refused as SPEC section 11 says.
/// </summary>
public sealed class ResourceServerTests(Es256AuthServer fixture) : IClassFixture<Es256AuthServer>
{
    private AuthServer Auth => fixture.Server;

    [Fact]
    public async Task Jwt_FromLogin_IsAcceptedWithTheSamePayloadAsTheOpenEndpoint()
    {
        var (token, userId, _) = await Auth.NewUserTokenAsync();
        await using var sample = new SampleServer(Auth);

        var open = await sample.GetAsync("/public/models");
        var response = await sample.GetAsync("/models", bearer: token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await open.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
        var me = await AuthServer.ReadAsync(await sample.GetAsync("/whoami", bearer: token));
        Assert.Equal(userId, (string?)me["subject"]);
        Assert.Equal("jwt", (string?)me["method"]);
        Assert.Contains("models.read", me["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(0, sample.Calls.Verify); // a JWT is checked locally
    }

    [Fact]
    public async Task Jwt_Tampered_IsRefusedAsInvalidToken()
    {
        var (token, _, _) = await Auth.NewUserTokenAsync();
        await using var sample = new SampleServer(Auth);
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"scope\":\"", "\"scope\":\"admin ", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        Assert.NotEqual(token, tampered);

        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: token)).StatusCode);
        await AssertProblemAsync(await sample.GetAsync("/models", bearer: tampered), HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
    }

    [Fact]
    public async Task Jwt_PastItsExpiry_IsRefusedAsTokenExpired()
    {
        var (token, _, _) = await Auth.NewUserTokenAsync();
        await using var sample = new SampleServer(Auth);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: token)).StatusCode);

        sample.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(31)); // lifetime + the 30 s leeway

        await AssertProblemAsync(await sample.GetAsync("/models", bearer: token), HttpStatusCode.Unauthorized, "token_expired", "invalid_token");
    }

    [Fact]
    public async Task Jwt_SignedByTheServerKeyButForAnotherIssuerOrAudience_IsRefused()
    {
        await using var sample = new SampleServer(Auth);
        var good = await ForgeAsync(AuthServer.Authority, "authplatform");
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: good)).StatusCode); // the forgery itself is sound

        await AssertProblemAsync(await sample.GetAsync("/models", bearer: await ForgeAsync("http://evil.example", "authplatform")),
            HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
        await AssertProblemAsync(await sample.GetAsync("/models", bearer: await ForgeAsync(AuthServer.Authority, "another-api")),
            HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
        await AssertProblemAsync(await sample.GetAsync("/models", bearer: await ForgeAsync(AuthServer.Authority, "authplatform", type: "JWT")),
            HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
    }

    [Fact]
    public async Task Jwt_WithAlgNone_IsRefused()
    {
        await using var sample = new SampleServer(Auth);
        var signed = await ForgeAsync(AuthServer.Authority, "authplatform");
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(signed.Split('.')[0]))!.AsObject();
        header["alg"] = "none";
        var unsigned = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{signed.Split('.')[1]}.";

        await AssertProblemAsync(await sample.GetAsync("/models", bearer: unsigned), HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
    }

    [Fact]
    public async Task ApiKey_InEachAcceptedForm_IsAcceptedAndVerifiedOnce()
    {
        var (token, userId, _) = await Auth.NewUserTokenAsync();
        var (key, keyId) = await Auth.NewApiKeyAsync(token, "models.read");
        await using var sample = new SampleServer(Auth);

        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", apiKey: key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", rawAuthorization: key)).StatusCode);

        var me = await AuthServer.ReadAsync(await sample.GetAsync("/whoami", apiKey: key));
        Assert.Equal(userId, (string?)me["subject"]);
        Assert.Equal("api_key", (string?)me["method"]);
        Assert.Equal(["models.read"], me["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(1, sample.Calls.Verify); // remembered for ApiKeyCacheDuration
        Assert.NotNull(keyId);
    }

    [Fact]
    public async Task ApiKey_RevokedOnTheServer_IsRefusedOnceTheCacheLifetimeEnds()
    {
        var (token, _, _) = await Auth.NewUserTokenAsync();
        var (key, keyId) = await Auth.NewApiKeyAsync(token, "models.read");
        await using var sample = new SampleServer(Auth, o => o.ApiKeyCacheDuration = TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", apiKey: key)).StatusCode);

        (await Auth.SendAsync(HttpMethod.Post, $"/api/v1/auth/api-keys/{keyId}/revoke", token)).EnsureSuccessStatusCode();
        sample.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", apiKey: key)).StatusCode); // still remembered: the documented window

        sample.Clock.Advance(TimeSpan.FromSeconds(2));
        await AssertProblemAsync(await sample.GetAsync("/models", apiKey: key), HttpStatusCode.Unauthorized, "invalid_api_key", "invalid_token");
        Assert.Equal(2, sample.Calls.Verify);
    }

    [Fact]
    public async Task ApiKey_Unknown_IsRefusedAndTheRefusalRememberedBriefly()
    {
        await using var sample = new SampleServer(Auth);
        var bogus = "ap_" + new string('x', 40);

        for (var i = 0; i < 5; i++)
        {
            await AssertProblemAsync(await sample.GetAsync("/models", apiKey: bogus), HttpStatusCode.Unauthorized, "invalid_api_key", "invalid_token");
        }

        Assert.Equal(1, sample.Calls.Verify);
        sample.Clock.Advance(TimeSpan.FromSeconds(6)); // past ApiKeyFailureCacheDuration (5 s)
        await sample.GetAsync("/models", apiKey: bogus);
        Assert.Equal(2, sample.Calls.Verify);
    }

    [Fact]
    public async Task Scope_Missing_Gives403InsufficientScope()
    {
        var (token, _, _) = await Auth.NewUserTokenAsync();
        var (key, _) = await Auth.NewApiKeyAsync(token, "profile");
        await using var sample = new SampleServer(Auth);

        var response = await sample.GetAsync("/models", apiKey: key);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope", "insufficient_scope");
        Assert.Contains("scope=\"models.read\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("models.read", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/whoami", apiKey: key)).StatusCode); // authenticated all the same
    }

    [Fact]
    public async Task NoCredential_OnTheProtectedEndpoint_Gives401Unauthenticated()
    {
        await using var sample = new SampleServer(Auth);

        var response = await sample.GetAsync("/models");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated", null);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/public/models")).StatusCode);
    }

    [Fact]
    public async Task SigningKey_RotatedOnTheServer_IsFetchedOnceForItsNewKid_AndMadeUpKidsAreRateLimited()
    {
        var (before, _, email) = await Auth.NewUserTokenAsync();
        await using var sample = new SampleServer(Auth);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: before)).StatusCode);
        Assert.Equal(1, sample.Calls.Jwks);

        var admin = await Auth.LoginAsync(AuthServer.AdminEmail, AuthServer.AdminPassword);
        var rotated = await Auth.SendAsync(HttpMethod.Post, "/api/v1/admin/signing-keys/rotate", admin);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var after = await Auth.LoginAsync(email, AuthServer.Password);
        Assert.NotEqual(KidOf(before), KidOf(after));
        Assert.Equal((string?)(await AuthServer.ReadAsync(rotated))["kid"], KidOf(after));

        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: after)).StatusCode); // the very first request succeeds
        Assert.Equal(2, sample.Calls.Jwks);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: before)).StatusCode); // the old key is still published

        for (var i = 0; i < 5; i++)
        {
            var garbage = ForgeWithUnknownKey();
            await AssertProblemAsync(await sample.GetAsync("/models", bearer: garbage), HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
        }

        Assert.Equal(2, sample.Calls.Jwks); // within JwksMinimumRefreshInterval: no fetch for made-up kids
        sample.Clock.Advance(TimeSpan.FromSeconds(31));
        await sample.GetAsync("/models", bearer: ForgeWithUnknownKey());
        Assert.Equal(3, sample.Calls.Jwks);
    }

    private static string? KidOf(string token) => new JsonWebToken(token).Kid;

    private async Task<string> ForgeAsync(string issuer, string audience, string type = "at+jwt")
    {
        var credentials = await Auth.Services.GetRequiredService<SigningKeyRing>().GetSigningCredentialsAsync(CancellationToken.None);
        return Forge(credentials, issuer, audience, type);
    }

    private static string ForgeWithUnknownKey()
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "made-up-" + Guid.NewGuid().ToString("N") };
        return Forge(new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256), AuthServer.Authority, "authplatform", "at+jwt");
    }

    private static string Forge(SigningCredentials credentials, string issuer, string audience, string type)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            TokenType = type,
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["scope"] = "models.read", ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = credentials,
        });
    }

    internal static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? bearerError)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["trace_id"]));
        var challenge = response.Headers.WwwAuthenticate.ToString();
        if (bearerError is not null)
        {
            Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
            Assert.Contains($"error=\"{bearerError}\"", challenge, StringComparison.Ordinal);
        }

        return problem;
    }
}

/// <summary>A server signing with RS256: its tokens are accepted the same way.</summary>
public sealed class Rs256ResourceServerTests(Rs256AuthServer fixture) : IClassFixture<Rs256AuthServer>
{
    [Fact]
    public async Task Jwt_SignedWithRs256_IsAccepted()
    {
        var (token, _, _) = await fixture.Server.NewUserTokenAsync();
        Assert.Equal("RS256", new JsonWebToken(token).Alg);
        await using var sample = new SampleServer(fixture.Server);

        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: token)).StatusCode);
    }
}
