using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// Hostile input at <c>/oauth/token</c> and <c>/oauth/authorize</c> not covered by the grant tests:
/// odd Unicode (control, format and bidirectional characters, lone surrogates, emoji), bodies of
/// 1 MiB, multipart and JSON bodies with a charset, repeated and very long authorize parameters.
/// Always a 4xx (RFC 6749 error at the token endpoint, an error page without redirect at authorize
/// when the client or its redirect URI is not established), never a 500.
/// </summary>
public abstract class HostileInputTests<TFixture>(TFixture fixture) : AuthorizeFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Evil = "https://evil.example/cb";

    [Theory]
    [InlineData("client_credentials\u0000", "invalid_request")]
    [InlineData("client\u202Ecredentials", "unsupported_grant_type")]
    [InlineData("client_credentials\u200B", "unsupported_grant_type")]
    [InlineData("\uD83D\uDE00", "unsupported_grant_type")]
    [InlineData("ｃｌｉｅｎｔ_ｃｒｅｄｅｎｔｉａｌｓ", "unsupported_grant_type")]
    public async Task Token_GrantTypeWithOddUnicode_IsUnsupportedGrantTypeOrMalformed(string grant, string error)
    {
        var response = await TokenRequestAsync([new("grant_type", grant)]);

        var body = await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, error);
        Assert.DoesNotMatch("[\u0000\u202E\u200B]", (string)body["error_description"]!);
    }

    [Theory]
    [InlineData("oc_\u202Eexe.gnp")]
    [InlineData("\uD800")]
    [InlineData("sa_\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00")]
    public async Task Token_ClientIdWithOddUnicode_IsInvalidClient(string clientId)
    {
        var form = await TokenRequestAsync([new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", "x")]);
        var basic = await TokenRequestAsync(
            [new("grant_type", "client_credentials")], Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:x")));

        await AssertOAuthErrorAsync(form, HttpStatusCode.Unauthorized, "invalid_client");
        await AssertOAuthErrorAsync(basic, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json")]
    public async Task Token_BodyOfOneMebibyte_IsA4xxNever500(string contentType)
    {
        var payload = "grant_type=client_credentials&scope=" + new string('a', 1024 * 1024);
        foreach (var size in new[] { 1024 * 1024 - 100, 1024 * 1024 + 1 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new StringContent(payload[..size]) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

            var response = await Client.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{size} bytes of {contentType}: {(int)response.StatusCode} {text}");
            Assert.NotNull(JsonNode.Parse(text));
        }
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--x--\r\n")]
    [InlineData("application/json; charset=utf-8", """{"grant_type":"client_credentials","client_id":"oc_x","client_secret":"y"}""")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-16", "grant_type=client_credentials")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=client_credentials&grant_type=password")]
    [InlineData("application/x-www-form-urlencoded", "=&=&=")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=%C0%AF%ED%A0%80")]
    [InlineData("application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=oc_%00%00&client_secret=x")]
    public async Task Token_OddBodies_AreAnRfc6749ErrorNever500(string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await Client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {text}");
        Assert.Contains((string?)JsonNode.Parse(text)!["error"], new[] { "invalid_request", "unsupported_grant_type" });
    }

    [Fact]
    public async Task Authorize_RepeatedClientIdOrRedirectUri_IsAnErrorPageWithoutRedirect()
    {
        var app = await NewAppAsync();
        var other = await NewAppAsync();
        using var browser = NewBrowser();
        var pkce = Pkce.New();

        var twoClients = await browser.GetAsync(AuthorizeUrl(app, pkce, extra: $"client_id={other.ClientId}"));
        var twoRedirects = await browser.GetAsync(AuthorizeUrl(app, pkce, extra: $"redirect_uri={Uri.EscapeDataString(Evil)}"));

        foreach (var response in new[] { twoClients, twoRedirects })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }
    }

    [Theory]
    [InlineData("client_id", 20_000)]
    [InlineData("redirect_uri", 20_000)]
    [InlineData("state", 20_000)]
    [InlineData("scope", 20_000)]
    [InlineData("code_challenge", 20_000)]
    [InlineData("nonce", 20_000)]
    public async Task Authorize_VeryLongParameter_IsA4xxNever500AndNeverAnUnvalidatedRedirect(string name, int length)
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();
        var url = AuthorizeUrl(app, Pkce.New()).Replace($"{name}=", $"{name}={new string('a', length)}", StringComparison.Ordinal);

        var response = await browser.GetAsync(url);

        Assert.True((int)response.StatusCode is >= 400 and < 500 or 302 or 303, $"{(int)response.StatusCode}");
        if (response.Headers.Location is { } location)
        {
            Assert.StartsWith(Redirect + "?", location.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("client_id", "oc_\u202Eabcdefghijklmnopqrstuvwxyz")]
    [InlineData("client_id", "oc_\u0000abcdefghijklmnopqrstuvwxyz")]
    [InlineData("redirect_uri", "https://app.example.com/callback\u0000")]
    [InlineData("redirect_uri", "https://app.example.com\u2215callback")]
    [InlineData("redirect_uri", "https://аpp.example.com/callback")]
    [InlineData("state", "\uD800\u202E\u0000")]
    [InlineData("scope", "openid\u3000profile")]
    public async Task Authorize_OddUnicode_IsNeverA500NorAnUnvalidatedRedirect(string name, string value)
    {
        var app = await NewAppAsync();
        using var browser = NewBrowser();
        var url = AuthorizeUrl(app, Pkce.New()).Replace($"{name}=", $"{name}={Uri.EscapeDataString(value)}&ignored=", StringComparison.Ordinal);

        var response = await browser.GetAsync(url);

        Assert.True((int)response.StatusCode is >= 400 and < 500 or 200 or 302 or 303, $"{(int)response.StatusCode}");
        if (response.Headers.Location is { } location)
        {
            Assert.StartsWith(Redirect + "?", location.ToString(), StringComparison.Ordinal);
        }
    }

    private static async Task<JsonObject> AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(error, (string?)body["error"]);
        return body;
    }
}

public sealed class HostileInputTestsOnSqlite(SqliteApiFixture fixture) : HostileInputTests<SqliteApiFixture>(fixture);

public sealed class HostileInputTestsOnPostgres(PostgresApiFixture fixture) : HostileInputTests<PostgresApiFixture>(fixture);
