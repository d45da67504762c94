using Microsoft.Extensions.Logging;

namespace AuthPlatform.AspNetCore;

/// <summary>What one scheme keeps between requests: its client for the server, the key set and the two caches.</summary>
internal sealed class AuthPlatformState
{
    public AuthPlatformState(AuthPlatformOptions options, string scheme, TimeProvider clock, ILogger logger)
    {
        var authority = options.Authority!.TrimEnd('/');
        var http = options.Backchannel;
        if (http is null)
        {
            http = options.BackchannelHttpHandler is { } handler
                ? new HttpClient(handler, disposeHandler: false)
                : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
            http.Timeout = options.BackchannelTimeout;
            http.DefaultRequestHeaders.UserAgent.ParseAdd("AuthPlatform.AspNetCore/" + typeof(AuthPlatformState).Assembly.GetName().Version);
        }

        Http = http;
        Keys = new JwksCache(http, new Uri(options.JwksUri ?? authority + "/.well-known/jwks.json"), options.JwksRefreshInterval, options.JwksMinimumRefreshInterval, clock, logger);
        Tokens = new JwtValidator(options, scheme, Keys, clock);
        ApiKeys = new ApiKeyVerifier(http, new Uri(options.VerifyUri ?? authority + "/api/v1/auth/verify"), options, scheme, clock, logger);
    }

    public HttpClient Http { get; }

    public JwksCache Keys { get; }

    public JwtValidator Tokens { get; }

    public ApiKeyVerifier ApiKeys { get; }
}
