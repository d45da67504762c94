using BenchmarkDotNet.Attributes;

namespace AuthPlatform.Benchmarks;

/// <summary>
/// Whole requests through the real server's pipeline, in-process (TestServer: every middleware,
/// authentication, authorization, the endpoint and the answer, without sockets): what
/// <c>GET /api/v1/auth/verify</c> costs beyond <c>GET /health/live</c>, in time and in allocations
/// per request. The difference between the rows is what issue 13 asks to shrink; the socket and
/// HTTP parsing costs that wrk also sees are the same for every row and left out here (TestServer
/// adds costs of its own to every row alike).
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private BenchServer _server = null!;
    private string _bearer = "";

    [GlobalSetup]
    public void Setup()
    {
        _server = new BenchServer();
        _bearer = "Bearer " + _server.AccessToken;
    }

    [GlobalCleanup]
    public void Cleanup() => _server.Dispose();

    /// <summary>The baseline: the cheapest endpoint, anonymous.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> HealthLive() => (await _server.SendAsync("/health/live", null, null)).Response.StatusCode;

    /// <summary>The gateway's call with a remembered ES256 access token.</summary>
    [Benchmark]
    public async Task<int> VerifyJwt() => (await _server.SendAsync("/api/v1/auth/verify", "Authorization", _bearer)).Response.StatusCode;

    /// <summary>The gateway's call with a remembered API key.</summary>
    [Benchmark]
    public async Task<int> VerifyApiKey() => (await _server.SendAsync("/api/v1/auth/verify", "X-API-Key", _server.ApiKey)).Response.StatusCode;
}
