using System.Net;

namespace AuthPlatform.AspNetCore.Tests;

/// <summary>When the AuthPlatform server cannot be reached: 503, nothing remembered, keys already known kept.</summary>
public sealed class ServerUnavailableTests(Es256AuthServer fixture) : IClassFixture<Es256AuthServer>
{
    private AuthServer Auth => fixture.Server;

    [Fact]
    public async Task ApiKey_WhenVerifyIsUnreachable_Gives503AndIsAskedAgainOnceItIsBack()
    {
        var (token, _, _) = await Auth.NewUserTokenAsync();
        var (key, _) = await Auth.NewApiKeyAsync(token, "models.read");
        var outage = new Outage(Auth.Server.CreateHandler()) { Down = true };
        await using var sample = new SampleServer(Auth, o => o.BackchannelHttpHandler = outage);

        var response = await sample.GetAsync("/models", apiKey: key);

        await ResourceServerTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable", null);
        Assert.NotNull(response.Headers.RetryAfter);
        outage.Down = false;
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", apiKey: key)).StatusCode); // the failure was not remembered
    }

    [Fact]
    public async Task Jwt_WhenTheKeySetCannotBeFetched_Gives503_AndKnownKeysOutliveALaterOutage()
    {
        var (token, _, _) = await Auth.NewUserTokenAsync();
        var outage = new Outage(Auth.Server.CreateHandler()) { Down = true };
        await using var sample = new SampleServer(Auth, o => o.BackchannelHttpHandler = outage);

        await ResourceServerTests.AssertProblemAsync(await sample.GetAsync("/models", bearer: token), HttpStatusCode.ServiceUnavailable, "service_unavailable", null);

        outage.Down = false;
        sample.Clock.Advance(TimeSpan.FromSeconds(31)); // retries after a failed fetch are rate-limited too
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: token)).StatusCode);

        outage.Down = true;
        sample.Clock.Advance(TimeSpan.FromMinutes(6)); // past JwksRefreshInterval: a background fetch fails
        var (another, _, _) = await Auth.NewUserTokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: another)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sample.GetAsync("/models", bearer: another)).StatusCode);
    }

    [Fact]
    public async Task Jwt_NotAJwtAtAll_IsRefusedWithoutAskingTheServer()
    {
        await using var sample = new SampleServer(Auth);

        await ResourceServerTests.AssertProblemAsync(await sample.GetAsync("/models", bearer: "abc.def.ghi"), HttpStatusCode.Unauthorized, "invalid_token", "invalid_token");
        Assert.Equal(0, sample.Calls.Jwks);
        Assert.Equal(0, sample.Calls.Verify);
    }

    private sealed class Outage(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public volatile bool Down;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Down ? throw new HttpRequestException("Connection refused (test outage).") : base.SendAsync(request, cancellationToken);
    }
}
