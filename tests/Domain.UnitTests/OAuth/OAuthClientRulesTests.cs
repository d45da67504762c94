using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Domain.UnitTests.OAuth;

/// <summary>The redirect-URI and grant-type rules (RFC 6749 3.1.2, RFC 8252, RFC 9700 2.1).</summary>
public sealed class OAuthClientRulesTests
{
    [Theory]
    [InlineData("https://app.example.com/callback", OAuthClientType.Confidential)]
    [InlineData("https://app.example.com/callback?tenant=1", OAuthClientType.Confidential)]
    [InlineData("http://127.0.0.1/callback", OAuthClientType.Confidential)]
    [InlineData("http://127.0.0.1:8080/callback", OAuthClientType.Public)]
    [InlineData("http://[::1]/cb", OAuthClientType.Public)]
    [InlineData("http://localhost:3000/cb", OAuthClientType.Public)]
    [InlineData("com.example.app:/oauth2redirect", OAuthClientType.Public)]
    public void RedirectUriProblem_AllowedUri_IsNull(string uri, OAuthClientType type)
    {
        Assert.Null(OAuthClientRules.RedirectUriProblem(uri, type));
    }

    [Theory]
    [InlineData("https://app.example.com/cb#x", "fragment")]
    [InlineData("/cb", "absolute")]
    [InlineData("app.example.com/cb", "absolute")]
    [InlineData("http://app.example.com/cb", "loopback")]
    [InlineData("http://127.0.0.2/cb", "loopback")]
    [InlineData("http://localhost.evil.com/cb", "loopback")]
    [InlineData("https://*.example.com/cb", "Wildcards")]
    [InlineData("https://u:p@app.example.com/cb", "user information")]
    [InlineData("https://exämple.com/cb", "ASCII")]
    [InlineData("https://a.example.com/\ncb", "ASCII")]
    [InlineData("javascript:alert(1)", "private-use")]
    [InlineData("file:///etc/passwd", "private-use")]
    [InlineData("", "empty")]
    public void RedirectUriProblem_RefusedUri_SaysWhy(string uri, string reason)
    {
        var problem = OAuthClientRules.RedirectUriProblem(uri, OAuthClientType.Public);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RedirectUriProblem_PrivateUseSchemeForConfidentialClient_IsRefused()
    {
        Assert.Contains("public clients", OAuthClientRules.RedirectUriProblem("com.example.app:/cb", OAuthClientType.Confidential));
    }

    [Fact]
    public void RedirectUriProblem_LongerThanTheLimit_IsRefused()
    {
        Assert.NotNull(OAuthClientRules.RedirectUriProblem("https://a.example.com/" + new string('p', OAuthClientRules.MaxUriLength), OAuthClientType.Public));
    }

    [Theory]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb", true)]
    [InlineData("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb", true)]
    [InlineData("http://[::1]/cb", "http://[::1]:4000/cb", true)]
    [InlineData("http://localhost/cb?x=1", "http://localhost:4000/cb?x=1", true)]
    [InlineData("https://app.example.com/cb", "https://app.example.com/cb", true)]
    [InlineData("https://app.example.com/cb", "https://app.example.com/cb/", false)]
    [InlineData("https://app.example.com/cb", "https://APP.example.com/cb", false)]
    [InlineData("https://app.example.com/cb", "https://app.example.com/cb?x=1", false)]
    [InlineData("https://app.example.com/cb", "http://app.example.com/cb", false)]
    [InlineData("https://app.example.com/cb", "https://evil.app.example.com/cb", false)]
    [InlineData("https://app.example.com/cb", "https://app.example.com:8443/cb", false)]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb2", false)]
    [InlineData("http://127.0.0.1/cb", "http://localhost:5000/cb", false)]
    [InlineData("http://127.0.0.1/cb", "http://127.0.0.1:5000/cb#x", false)]
    public void RedirectUriMatches_ExactExceptALoopbackPort(string registered, string presented, bool expected)
    {
        Assert.Equal(expected, OAuthClientRules.RedirectUriMatches(registered, presented));
    }

    [Theory]
    [InlineData(OAuthClientType.Confidential, new[] { "client_credentials" }, 0, false, null)]
    [InlineData(OAuthClientType.Confidential, new[] { "authorization_code", "refresh_token" }, 1, false, null)]
    [InlineData(OAuthClientType.Confidential, new[] { "password", "refresh_token" }, 0, true, null)]
    [InlineData(OAuthClientType.Public, new[] { "client_credentials" }, 0, false, "public client")]
    [InlineData(OAuthClientType.Confidential, new[] { "password" }, 0, false, "first-party")]
    [InlineData(OAuthClientType.Confidential, new[] { "refresh_token", "client_credentials" }, 0, false, "refresh_token needs")]
    [InlineData(OAuthClientType.Public, new[] { "urn:ietf:params:oauth:grant-type:device_code", "refresh_token" }, 0, false, null)]
    [InlineData(OAuthClientType.Confidential, new[] { "urn:ietf:params:oauth:grant-type:device_code" }, 0, false, null)]
    [InlineData(OAuthClientType.Public, new[] { "authorization_code" }, 0, false, "redirect URI")]
    [InlineData(OAuthClientType.Public, new[] { "implicit" }, 1, false, "Unknown grant type")]
    [InlineData(OAuthClientType.Public, new string[0], 1, false, "at least one")]
    [InlineData(OAuthClientType.Confidential, new[] { "client_credentials", "client_credentials" }, 0, false, "twice")]
    public void CheckGrants_ReportsEachBrokenRule(OAuthClientType type, string[] grants, int redirects, bool firstParty, string? problem)
    {
        var problems = OAuthClientRules.CheckGrants(type, grants, redirects, firstParty);

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.Message.Contains(problem, StringComparison.Ordinal));
        }
    }
}
