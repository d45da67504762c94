using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Infrastructure.Tokens;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// Forged and wrong access tokens against the resource endpoints (JWT-01 to JWT-04, RS-01, SPEC
/// section 2): each is refused with 401 <c>invalid_token</c> (or <c>token_expired</c>) and an RFC 6750
/// challenge. Every forgery starts from a real token, and a positive control proves the real one works.
/// </summary>
public abstract class TokenSecurityTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private static readonly string[] ProtectedUrls = ["/api/v1/auth/me", "/api/v1/auth/verify"];

    [Theory]
    [InlineData("none", false, false)]
    [InlineData("none", true, false)]
    [InlineData("none", false, true)]
    [InlineData("none", true, true)]
    [InlineData("None", false, false)]
    [InlineData("NONE", true, false)]
    [InlineData("nOnE", false, true)]
    public async Task Me_WithAlgNone_Returns401InvalidToken(string alg, bool keepSignature, bool keepKid)
    {
        var (_, token) = await NewTokenAsync();
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "at+jwt" };
        if (keepKid)
        {
            header["kid"] = Jws.Header(token)["kid"]!.GetValue<string>();
        }

        var forged = Jws.Compose(header, Jws.Split(token).Payload, keepSignature ? Jws.Split(token).Signature : "");

        await AssertRefusedAsync(forged);
    }

    [Theory]
    [InlineData("jwk_json", "HS256")]
    [InlineData("jwk_json", "HS384")]
    [InlineData("jwk_json", "HS512")]
    [InlineData("jwk_json_compact", "HS256")]
    [InlineData("jwks_document", "HS256")]
    [InlineData("raw_x_y", "HS256")]
    [InlineData("uncompressed_point", "HS256")]
    [InlineData("spki_der", "HS256")]
    [InlineData("spki_pem", "HS256")]
    public async Task Me_WithHmacSignedWithPublicKey_Returns401InvalidToken(string material, string alg)
    {
        var (_, token) = await NewTokenAsync();
        var kid = Jws.Header(token)["kid"]!.GetValue<string>();
        var jwksText = await GetJwksTextAsync();
        using var jwks = JsonDocument.Parse(jwksText);
        var jwk = jwks.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        var x = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString());
        var y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString());
        using var publicKey = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        byte[] secret = material switch
        {
            "jwk_json" => Encoding.UTF8.GetBytes(jwk.GetRawText()),
            "jwk_json_compact" => Encoding.UTF8.GetBytes(JsonNode.Parse(jwk.GetRawText())!.ToJsonString()),
            "jwks_document" => Encoding.UTF8.GetBytes(jwksText),
            "raw_x_y" => [.. x, .. y],
            "uncompressed_point" => [0x04, .. x, .. y],
            "spki_der" => publicKey.ExportSubjectPublicKeyInfo(),
            "spki_pem" => Encoding.UTF8.GetBytes(publicKey.ExportSubjectPublicKeyInfoPem()),
            _ => throw new ArgumentOutOfRangeException(nameof(material)),
        };

        var forged = Jws.SignHmac(new JsonObject { ["alg"] = alg, ["typ"] = "at+jwt", ["kid"] = kid }, Jws.Split(token).Payload, secret);

        await AssertRefusedAsync(forged);
    }

    [Theory]
    [InlineData("sub_of_another_user")]
    [InlineData("scope_plus_admin")]
    [InlineData("role_admin")]
    [InlineData("exp_plus_one_day")]
    [InlineData("same_claims_reserialized")]
    public async Task Me_WithTamperedPayloadAndOriginalSignature_Returns401InvalidToken(string tamper)
    {
        var (_, victim) = await NewSessionAsync();
        var (_, token) = await NewTokenAsync();
        var payload = Jws.Payload(token);
        switch (tamper)
        {
            case "sub_of_another_user":
                payload["sub"] = Str(victim["user"], "id");
                break;
            case "scope_plus_admin":
                payload["scope"] = payload["scope"]!.GetValue<string>() + " admin";
                break;
            case "role_admin":
                payload["role"] = "admin";
                break;
            case "exp_plus_one_day":
                payload["exp"] = payload["exp"]!.GetValue<long>() + 86400;
                break;
            case "same_claims_reserialized":
                break; // the same claims, written indented: other bytes under the signature

        }

        var encoded = Jws.B64(payload.ToJsonString(new JsonSerializerOptions { WriteIndented = tamper == "same_claims_reserialized", Encoder = Jws.Encoder }));
        Assert.NotEqual(Jws.Split(token).Payload, encoded);
        var (header, _, signature) = Jws.Split(token);

        await AssertRefusedAsync($"{header}.{encoded}.{signature}");
    }

    [Fact]
    public async Task AdminEndpoint_WithUserTokenTamperedToCarryAdminScope_Returns401AndRotatesNothing()
    {
        var (_, token) = await NewTokenAsync();
        var payload = Jws.Payload(token);
        payload["scope"] = payload["scope"]!.GetValue<string>() + " admin";
        payload["role"] = "admin";
        var (header, _, signature) = Jws.Split(token);
        var keysBefore = await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM signing_keys");

        var response = await PostJsonAsync("/api/v1/admin/signing-keys/rotate", new { }, $"{header}.{Jws.B64(payload.ToJsonString())}.{signature}");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(keysBefore, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM signing_keys"));
    }

    [Theory]
    [InlineData("flip_first_byte")]
    [InlineData("flip_middle_byte")]
    [InlineData("flip_last_byte")]
    [InlineData("truncated")]
    [InlineData("extended")]
    [InlineData("empty")]
    [InlineData("all_zero")]
    [InlineData("der_encoded")]
    public async Task Me_WithTamperedSignature_Returns401InvalidToken(string tamper)
    {
        var (_, token) = await NewTokenAsync();
        var (header, payload, signature) = Jws.Split(token);
        var bytes = Base64Url.DecodeFromChars(signature);
        Assert.Equal(64, bytes.Length); // ES256: r || s (RFC 7518 section 3.4)
        bytes = tamper switch
        {
            "flip_first_byte" => Flip(bytes, 0),
            "flip_middle_byte" => Flip(bytes, 32),
            "flip_last_byte" => Flip(bytes, 63),
            "truncated" => bytes[..63],
            "extended" => [.. bytes, 0x00],
            "empty" => [],
            "all_zero" => new byte[64],
            "der_encoded" => ToDer(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(tamper)),
        };

        await AssertRefusedAsync($"{header}.{payload}.{Jws.B64(bytes)}");

        static byte[] Flip(byte[] value, int index)
        {
            var copy = (byte[])value.Clone();
            copy[index] ^= 0x01;
            return copy;
        }

        static byte[] ToDer(byte[] p1363)
        {
            // The same (r, s) in the other encoding .NET knows: a verifier must insist on r || s.
            var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteIntegerUnsigned(Minimal(p1363.AsSpan(0, 32)));
                writer.WriteIntegerUnsigned(Minimal(p1363.AsSpan(32, 32)));
            }

            return writer.Encode();
        }

        // DER integers carry no redundant leading zero bytes (r or s starts with one once in 256 tokens).
        static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
        {
            var trimmed = value.TrimStart((byte)0);
            return trimmed.IsEmpty ? value[^1..] : trimmed;
        }
    }

    [Theory]
    [InlineData("unknown_kid")]
    [InlineData("no_kid")]
    [InlineData("our_kid")]
    [InlineData("jwk")]
    [InlineData("jwk_with_our_kid")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    public async Task Me_WithTokenSignedByForeignKey_Returns401InvalidToken(string variant)
    {
        var (_, token) = await NewTokenAsync();
        var ourKid = Jws.Header(token)["kid"]!.GetValue<string>();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = "not-ours" };
        switch (variant)
        {
            case "no_kid":
                header.Remove("kid");
                break;
            case "our_kid":
                header["kid"] = ourKid;
                break;
            case "jwk":
                header.Remove("kid");
                header["jwk"] = Jws.PublicJwk(attacker, null);
                break;
            case "jwk_with_our_kid":
                header["kid"] = ourKid;
                header["jwk"] = Jws.PublicJwk(attacker, ourKid);
                break;
            case "jku":
                header["jku"] = "http://127.0.0.1:1/.well-known/jwks.json";
                break;
            case "x5u":
                header["x5u"] = "http://127.0.0.1:1/cert.pem";
                break;
            case "x5c":
                using (var certificate = new CertificateRequest("CN=not-ours", attacker, HashAlgorithmName.SHA256)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
                {
                    header["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData));
                }

                break;
        }

        var forged = Jws.SignEs256(attacker, header, Jws.Split(token).Payload);

        await AssertRefusedAsync(forged);
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task Me_WithKeyUrlHeader_NeverFetchesTheUrl(string headerName)
    {
        var (_, token) = await NewTokenAsync();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = "not-ours", [headerName] = $"http://127.0.0.1:{port}/keys" };

            await AssertRefusedAsync(Jws.SignEs256(attacker, header, Jws.Split(token).Payload));

            Assert.False(listener.Pending(), $"The server connected to the '{headerName}' URL of a token.");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Me_WithTokenSignedByServerKeyAndRightClaims_Returns200()
    {
        // The control for the wrong-claim tests below: the same recipe, nothing changed, is accepted.
        var (user, _) = await NewTokenAsync();

        var token = await IssueWithServerKeyAsync(user);

        await AssertAcceptedAsync(token);
    }

    [Theory]
    [InlineData("iss_foreign")]
    [InlineData("iss_missing")]
    [InlineData("iss_other_case")]
    [InlineData("aud_foreign")]
    [InlineData("aud_missing")]
    [InlineData("aud_array_without_ours")]
    [InlineData("exp_missing")]
    [InlineData("sub_not_a_user_id")]
    public async Task Me_WithServerSignedTokenWithWrongClaim_Returns401InvalidToken(string wrong)
    {
        var (user, _) = await NewTokenAsync();
        var jwt = JwtSettings();

        var token = await IssueWithServerKeyAsync(user, d =>
        {
            switch (wrong)
            {
                case "iss_foreign":
                    d.Issuer = "https://evil.example";
                    break;
                case "iss_missing":
                    d.Issuer = null;
                    break;
                case "iss_other_case":
                    d.Issuer = jwt.Issuer.ToUpperInvariant();
                    break;
                case "aud_foreign":
                    d.Audience = "another-api";
                    break;
                case "aud_missing":
                    d.Audience = null;
                    break;
                case "aud_array_without_ours":
                    d.Audience = null;
                    d.Claims["aud"] = new[] { "another-api", "third-api" };
                    break;
                case "exp_missing":
                    d.Expires = null;
                    break;
                case "sub_not_a_user_id":
                    d.Claims["sub"] = "admin";
                    break;
            }
        });

        await AssertRefusedAsync(token);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    [InlineData("application/jwt")]
    [InlineData("refresh+jwt")]
    [InlineData("id_token+jwt")]
    [InlineData(null)]
    public async Task Me_WithServerSignedTokenOfOtherType_Returns401InvalidToken(string? typ)
    {
        var (user, _) = await NewTokenAsync();
        var valid = await IssueWithServerKeyAsync(user);
        var header = Jws.Header(valid);
        if (typ is null)
        {
            header.Remove("typ");
        }
        else
        {
            header["typ"] = typ;
        }

        var token = await SignWithServerKeyAsync(header, Jws.Split(valid).Payload);

        await AssertAcceptedAsync(await SignWithServerKeyAsync(Jws.Header(valid), Jws.Split(valid).Payload));
        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task Me_WithServerSignedTokenOfMediaTypeApplicationAtJwt_Returns200()
    {
        // RFC 9068 section 4: typ "at+jwt" or "application/at+jwt" are both access tokens.
        var (user, _) = await NewTokenAsync();
        var valid = await IssueWithServerKeyAsync(user);
        var header = Jws.Header(valid);
        header["typ"] = "application/at+jwt";

        await AssertAcceptedAsync(await SignWithServerKeyAsync(header, Jws.Split(valid).Payload));
    }

    [Fact]
    public async Task Me_AtExpPlusTenSeconds_IsStillAcceptedWithinTheStatedLeeway()
    {
        var (_, token) = await NewTokenAsync();
        var exp = DateTimeOffset.FromUnixTimeSeconds(Jws.Payload(token)["exp"]!.GetValue<long>());

        Factory.Clock.Advance(exp + TimeSpan.FromSeconds(10) - Factory.Clock.GetUtcNow());

        Assert.True(Factory.Clock.GetUtcNow() > exp);
        await AssertAcceptedAsync(token);
    }

    [Fact]
    public async Task Me_PastExpPlusThirtySecondSkew_Returns401TokenExpired()
    {
        var (_, token) = await NewTokenAsync();
        var exp = DateTimeOffset.FromUnixTimeSeconds(Jws.Payload(token)["exp"]!.GetValue<long>());
        Assert.Equal(TimeSpan.FromSeconds(30), JwtSettings().ClockSkew);

        Factory.Clock.Advance(exp + TimeSpan.FromSeconds(31) - Factory.Clock.GetUtcNow());

        await AssertRefusedAsync(token, "token_expired");
    }

    [Fact]
    public async Task Me_TokenAcceptedBeforeAndRememberedAsVerified_IsStillRefusedAfterExpiry()
    {
        // The validator remembers verified tokens to skip the signature check: expiry must still hold.
        var (_, token) = await NewTokenAsync();
        await AssertAcceptedAsync(token);
        await AssertAcceptedAsync(token);
        var exp = DateTimeOffset.FromUnixTimeSeconds(Jws.Payload(token)["exp"]!.GetValue<long>());

        Factory.Clock.Advance(exp + TimeSpan.FromSeconds(10) - Factory.Clock.GetUtcNow());
        await AssertAcceptedAsync(token); // inside the 30-second leeway
        Factory.Clock.Advance(TimeSpan.FromSeconds(21));

        await AssertRefusedAsync(token, "token_expired");
    }

    [Fact]
    public async Task Me_NotBeforeInTheFutureAfterAnEarlierAcceptance_IsStillRefused()
    {
        var (user, _) = await NewTokenAsync();
        var now = Factory.Clock.GetUtcNow();
        var token = await IssueWithServerKeyAsync(user, d => d.NotBefore = (now + TimeSpan.FromSeconds(300)).UtcDateTime);

        await AssertRefusedAsync(token);
        Factory.Clock.Advance(TimeSpan.FromSeconds(301));
        await AssertAcceptedAsync(token);
    }

    [Theory]
    [InlineData(300, false)]
    [InlineData(60, false)]
    [InlineData(10, true)]
    public async Task Me_WithNotBeforeInTheFuture_IsRefusedBeyondTheLeeway(int nbfSecondsAhead, bool accepted)
    {
        var (user, _) = await NewTokenAsync();
        var now = Factory.Clock.GetUtcNow();

        var token = await IssueWithServerKeyAsync(user, d => d.NotBefore = (now + TimeSpan.FromSeconds(nbfSecondsAhead)).UtcDateTime);

        if (accepted)
        {
            await AssertAcceptedAsync(token);
        }
        else
        {
            await AssertRefusedAsync(token);
        }
    }

    [Fact]
    public async Task Me_WithRefreshTokenAsBearer_Returns401InvalidToken()
    {
        var (_, session) = await NewSessionAsync();
        var refreshToken = Str(session, "refresh_token");
        var access = Str(session, "token");

        // Refresh tokens are opaque (no dots, no key prefix), so one sent as issued is refused by the
        // shape check before any validation runs. To reach the validator, the refresh token travels
        // in a JWT that passes the shape check, the signature (the server's own key) and every claim
        // (the session's own access-token claims): only its type says it is a refresh token.
        var payload = Jws.Payload(access);
        payload["jti"] = refreshToken;
        var payloadSegment = Jws.B64(payload.ToJsonString());
        var header = Jws.Header(access);
        header["typ"] = "refresh+jwt";
        var asRefreshJwt = await SignWithServerKeyAsync(header, payloadSegment);

        await AssertAcceptedAsync(await SignWithServerKeyAsync(Jws.Header(access), payloadSegment)); // the same claims typed at+jwt pass
        await AssertRefusedAsync(asRefreshJwt);
        await AssertRefusedAsync(refreshToken);
        // The refresh token is untouched by the attempts.
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken })).StatusCode);
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer ..")]
    [InlineData("Bearer e30.e30.")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.e30.")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Bearer not%20base64.%%%.***")]
    [InlineData("Basic xyz")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Digest username=\"admin\"")]
    [InlineData(null)] // an over-long token, built below
    public async Task Me_WithGarbageAuthorization_Returns401InvalidToken(string? authorization)
    {
        authorization ??= "Bearer eyJhbGciOiJFUzI1NiJ9." + new string('A', 9000) + ".AAAA";

        foreach (var url in ProtectedUrls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
            var response = await Client.SendAsync(request);

            await AssertInvalidTokenAsync(response, "invalid_token");
        }
    }

    [Fact]
    public async Task Me_WithLowercaseBearerScheme_Returns200()
    {
        // RFC 9110 section 11.1: the scheme name is case-insensitive.
        var (_, token) = await NewTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Me_WithTokenInOtherQueryParameter_IsIgnoredAndUnauthenticated()
    {
        var (_, token) = await NewTokenAsync();

        var response = await GetAsync($"/api/v1/auth/me?token={token}");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.DoesNotContain("error=", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Me_WithAccessTokenQueryParameter_IsRefusedEvenWithAValidHeader()
    {
        // RFC 6750 section 2.3's URI parameter is not supported: tokens never travel in URLs (CL-04).
        var (_, token) = await NewTokenAsync();

        var response = await GetAsync($"/api/v1/auth/me?access_token={token}", token);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task AccessToken_ValidatedIndependentlyWithJwksKeysOnly_HasRfc9068HeaderAndClaims()
    {
        var (email, session) = await NewSessionAsync();
        var token = Str(session, "token");
        var jwksText = await GetJwksTextAsync();
        var jwks = new JsonWebKeySet(jwksText);
        var issuer = JwtSettings().Issuer;
        Assert.False(string.IsNullOrWhiteSpace(issuer));
        var now = Factory.Clock.GetUtcNow().UtcDateTime;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            TryAllIssuerSigningKeys = false,
            ValidIssuer = issuer,
            ValidAudience = "authplatform",
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // The app runs on a fake clock; judge the lifetime by it, with no leeway at all.
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= now && now < expires,
        };

        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);

        Assert.True(result.IsValid, result.Exception?.ToString());
        var header = Jws.Header(token);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.Equal("ES256", (string?)header["alg"]);
        var kid = (string?)header["kid"];
        Assert.Contains(kid, JsonNode.Parse(jwksText)!["keys"]!.AsArray().Select(k => (string?)k!["kid"]));
        var payload = Jws.Payload(token);
        Assert.Equal(issuer, (string?)payload["iss"]);
        Assert.Equal(Str(session["user"], "id"), (string?)payload["sub"]);
        Assert.Equal("authplatform", payload["aud"] is JsonArray audiences ? (string?)Assert.Single(audiences) : (string?)payload["aud"]);
        var exp = payload["exp"]!.GetValue<long>();
        var iat = payload["iat"]!.GetValue<long>();
        var nbf = payload["nbf"]!.GetValue<long>();
        Assert.Equal(3600, exp - iat);
        Assert.True(nbf <= iat, $"nbf {nbf} after iat {iat}");
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(exp), DateTimeOffset.Parse(Str(session, "expires_at"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches("^[A-Za-z0-9_-]{16,}$", (string?)payload["jti"] ?? "");
        Assert.Contains("profile", ((string?)payload["scope"] ?? "").Split(' '));
        var amr = Assert.IsType<JsonArray>(payload["amr"]);
        Assert.Contains("pwd", amr.Select(a => (string?)a));
        Assert.DoesNotContain(email, payload.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Jwks_WhenFetched_ListsOnlyPublicEs256Keys()
    {
        var response = await GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var keys = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray();
        Assert.NotEmpty(keys);
        foreach (var key in keys.Select(k => k!.AsObject()))
        {
            Assert.Equal("EC", (string?)key["kty"]);
            Assert.Equal("P-256", (string?)key["crv"]);
            Assert.Equal("sig", (string?)key["use"]);
            Assert.Equal("ES256", (string?)key["alg"]);
            Assert.False(string.IsNullOrEmpty((string?)key["kid"]));
            foreach (var privateMember in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
            {
                Assert.False(key.ContainsKey(privateMember), $"The JWKS publishes the private member '{privateMember}'.");
            }
        }
    }

    /// <summary>A fresh user's id and access token.</summary>
    private async Task<(Guid UserId, string Token)> NewTokenAsync()
    {
        var (_, session) = await NewSessionAsync();
        var token = Str(session, "token");
        await AssertAcceptedAsync(token);
        return (Guid.Parse(Str(session["user"], "id")), token);
    }

    private async Task AssertAcceptedAsync(string token)
    {
        foreach (var url in ProtectedUrls)
        {
            var response = await GetAsync(url, token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task AssertRefusedAsync(string token, string code = "invalid_token")
    {
        foreach (var url in ProtectedUrls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}"));
            await AssertInvalidTokenAsync(await Client.SendAsync(request), code);
        }
    }

    /// <summary>RFC 6750 section 3.1: 401 with a Bearer challenge naming <c>invalid_token</c>.</summary>
    private static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string code)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, code);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer", challenge);
        Assert.Contains("error=\"invalid_token\"", challenge);
        Assert.Contains("error_description=", challenge);
        Assert.DoesNotContain("   at ", problem.ToJsonString());
    }

    private async Task<string> GetJwksTextAsync()
    {
        var response = await GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private JwtOptions JwtSettings() => Factory.Services.GetRequiredService<IOptions<JwtOptions>>().Value;

    /// <summary>
    /// A token signed with the server's real private key (from the app's own key ring), built like the
    /// app builds its own; <paramref name="change"/> makes exactly one thing wrong.
    /// </summary>
    private async Task<string> IssueWithServerKeyAsync(Guid userId, Action<SecurityTokenDescriptor>? change = null)
    {
        var jwt = JwtSettings();
        var now = Factory.Clock.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + jwt.AccessTokenLifetime).UtcDateTime,
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userId.ToString(),
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["scope"] = "profile",
                ["amr"] = new[] { "pwd" },
                ["role"] = "user",
            },
            SigningCredentials = await Factory.Services.GetRequiredService<SigningKeyRing>().GetSigningCredentialsAsync(CancellationToken.None),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Any header and payload, signed with the server's real private key.</summary>
    private async Task<string> SignWithServerKeyAsync(JsonObject header, string payloadSegment)
    {
        var credentials = await Factory.Services.GetRequiredService<SigningKeyRing>().GetSigningCredentialsAsync(CancellationToken.None);
        var key = Assert.IsType<ECDsaSecurityKey>(credentials.Key);
        return Jws.SignEs256(key.ECDsa, header, payloadSegment);
    }
}

/// <summary>
/// Signing-key rotation (JWT-05) and keys surviving a restart (SPEC section 2). Rotation changes the
/// fixture's key ring for good, so it lives apart from the other token tests.
/// </summary>
public abstract class SigningKeyLifecycleTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Rotate_AsAdmin_PublishesBothKidsKeepsOldTokensAndSignsWithTheNewKid()
    {
        var admin = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        var (_, before) = await NewSessionAsync();
        var oldKid = (string)Jws.Header(Str(before, "token"))["kid"]!;
        Assert.Contains(oldKid, await JwksKidsAsync(Client));

        var response = await PostJsonAsync("/api/v1/admin/signing-keys/rotate", new { }, Str(admin, "token"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var newKid = Str(await ReadObjectAsync(response), "kid");
        Assert.NotEqual(oldKid, newKid);
        var kids = await JwksKidsAsync(Client);
        Assert.Contains(oldKid, kids);
        Assert.Contains(newKid, kids);
        await AssertAcceptedAsync(Client, Str(before, "token"));
        await AssertAcceptedAsync(Client, Str(admin, "token"));
        var (_, after) = await NewSessionAsync();
        Assert.Equal(newKid, (string)Jws.Header(Str(after, "token"))["kid"]!);
        await AssertAcceptedAsync(Client, Str(after, "token"));
        var refreshed = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(before, "refresh_token") }));
        Assert.Equal(newKid, (string)Jws.Header(Str(refreshed, "token"))["kid"]!);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM audit_events WHERE type = 'signing_key.rotated'"));
    }

    [Fact]
    public async Task Rotate_WithActivationDelay_PublishesNewKidBeforeItSignsAndOldKidUntilItsTokensExpire()
    {
        await using var database = await TestDatabase.CreateAsync(Fixture.Database.Kind);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?> { ["Jwt:KeyActivationDelay"] = "00:10:00" });
        using var client = app.CreateClient();
        var ring = app.Services.GetRequiredService<SigningKeyRing>();
        var admin = await LoginAsync(client, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        var oldKid = (string)Jws.Header(Str(admin, "token"))["kid"]!;

        var rotate = await SendAsync(client, HttpMethod.Post, "/api/v1/admin/signing-keys/rotate", JsonContent("{}"), Str(admin, "token"));
        Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
        var newKid = Str(await ReadObjectAsync(rotate), "kid");

        // Phase 1: the new key is published at once, but the old one still signs.
        Assert.Contains(newKid, await JwksKidsAsync(client));
        var early = await LoginAsync(client, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        Assert.Equal(oldKid, (string)Jws.Header(Str(early, "token"))["kid"]!);

        // Phase 2: the last token of the old key, just before the new one activates.
        app.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(5));
        await ring.ReloadAsync(CancellationToken.None);
        var last = await LoginAsync(client, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        Assert.Equal(oldKid, (string)Jws.Header(Str(last, "token"))["kid"]!);
        app.Clock.Advance(TimeSpan.FromSeconds(6));
        var next = await LoginAsync(client, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        Assert.Equal(newKid, (string)Jws.Header(Str(next, "token"))["kid"]!);

        // Phase 3: the old key stays published while its last token is valid (exp + leeway)...
        var lastExp = DateTimeOffset.FromUnixTimeSeconds(Jws.Payload(Str(last, "token"))["exp"]!.GetValue<long>());
        app.Clock.Advance(lastExp + TimeSpan.FromSeconds(10) - app.Clock.GetUtcNow());
        await ring.ReloadAsync(CancellationToken.None);
        Assert.Contains(oldKid, await JwksKidsAsync(client));
        await AssertAcceptedAsync(client, Str(last, "token"));

        // ...and then leaves the JWKS.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ring.ReloadAsync(CancellationToken.None);
        var kids = await JwksKidsAsync(client);
        Assert.DoesNotContain(oldKid, kids);
        Assert.Contains(newKid, kids);
    }

    [Fact]
    public async Task Restart_OverSameDatabase_KeepsKeysAndAcceptsEarlierTokens()
    {
        await using var database = await TestDatabase.CreateAsync(Fixture.Database.Kind);
        string token;
        string[] kidsBefore;
        var first = new AuthApiFactory(database);
        try
        {
            using var client = first.CreateClient();
            var email = NewEmail();
            var register = await SendAsync(client, HttpMethod.Post, "/api/v1/auth/register", JsonContent($$"""{"email":"{{email}}","password":"{{Password}}","name":"Restart"}"""), null);
            Assert.Equal(HttpStatusCode.Created, register.StatusCode);
            token = Str(await LoginAsync(client, email, Password), "token");
            kidsBefore = await JwksKidsAsync(client);
            await AssertAcceptedAsync(client, token);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = new AuthApiFactory(database);
        using var secondClient = second.CreateClient();

        await AssertAcceptedAsync(secondClient, token);
        Assert.Equal(kidsBefore, await JwksKidsAsync(secondClient));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM signing_keys"));
        // The private key was unprotected with the persisted data-protection ring: the new instance signs with it.
        var admin = await LoginAsync(secondClient, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        Assert.Equal(Assert.Single(kidsBefore), (string)Jws.Header(Str(admin, "token"))["kid"]!);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content, string? token)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> LoginAsync(HttpClient client, string email, string password)
    {
        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/auth/login", JsonContent(new JsonObject { ["email"] = email, ["password"] = password }.ToJsonString()), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    private static async Task<string[]> JwksKidsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["keys"]!.AsArray().Select(k => (string)k!["kid"]!).Order(StringComparer.Ordinal).ToArray();
    }

    private static async Task AssertAcceptedAsync(HttpClient client, string token)
    {
        foreach (var url in new[] { "/api/v1/auth/me", "/api/v1/auth/verify" })
        {
            var response = await SendAsync(client, HttpMethod.Get, url, null, token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>Compact JWS by hand (RFC 7515), so that tests can build what no library would.</summary>
internal static class Jws
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonSerializerOptions Options = new() { Encoder = Encoder };

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public static (string Header, string Payload, string Signature) Split(string token)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        return (parts[0], parts[1], parts[2]);
    }

    public static JsonObject Header(string token) => Decode(Split(token).Header);

    public static JsonObject Payload(string token) => Decode(Split(token).Payload);

    public static string Compose(JsonObject header, string payloadSegment, string signatureSegment) =>
        $"{B64(header.ToJsonString(Options))}.{payloadSegment}.{signatureSegment}";

    public static string SignEs256(ECDsa key, JsonObject header, string payloadSegment)
    {
        var input = $"{B64(header.ToJsonString(Options))}.{payloadSegment}";
        return $"{input}.{B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }

    public static string SignHmac(JsonObject header, string payloadSegment, byte[] secret)
    {
        var input = $"{B64(header.ToJsonString(Options))}.{payloadSegment}";
        var data = Encoding.ASCII.GetBytes(input);
        var mac = (string?)header["alg"] switch
        {
            "HS256" => HMACSHA256.HashData(secret, data),
            "HS384" => HMACSHA384.HashData(secret, data),
            "HS512" => HMACSHA512.HashData(secret, data),
            var other => throw new ArgumentOutOfRangeException(nameof(header), other, null),
        };
        return $"{input}.{B64(mac)}";
    }

    public static JsonObject PublicJwk(ECDsa key, string? kid)
    {
        var p = key.ExportParameters(false);
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        return jwk;
    }

    private static JsonObject Decode(string segment) => JsonNode.Parse(Base64Url.DecodeFromChars(segment))!.AsObject();
}

public sealed class TokenSecurityTestsOnSqlite(SqliteApiFixture fixture) : TokenSecurityTests<SqliteApiFixture>(fixture);

public sealed class TokenSecurityTestsOnPostgres(PostgresApiFixture fixture) : TokenSecurityTests<PostgresApiFixture>(fixture);

public sealed class SigningKeyLifecycleTestsOnSqlite(SqliteApiFixture fixture) : SigningKeyLifecycleTests<SqliteApiFixture>(fixture);

public sealed class SigningKeyLifecycleTestsOnPostgres(PostgresApiFixture fixture) : SigningKeyLifecycleTests<PostgresApiFixture>(fixture);
