using Microsoft.AspNetCore.Authentication;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// Settings of the AuthPlatform scheme. Only <see cref="Authority"/> is required; the rest
/// default to what an AuthPlatform server publishes. Bind it from configuration
/// (<c>builder.Configuration.GetSection("AuthPlatform").Bind(options)</c>) or set it in code.
/// </summary>
public sealed class AuthPlatformOptions : AuthenticationSchemeOptions
{
    /// <summary>The AuthPlatform server's base URL, e.g. <c>https://auth.example.com</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c>: the server's <c>Jwt__Issuer</c>, exactly. Default: <see cref="Authority"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c>: the server's <c>Jwt__Audience</c>. Default <c>authplatform</c>.</summary>
    public string Audience { get; set; } = AuthPlatformDefaults.Audience;

    /// <summary>Where the signing keys are published. Default: <c>{Authority}/.well-known/jwks.json</c>.</summary>
    public string? JwksUri { get; set; }

    /// <summary>Where API keys are verified. Default: <c>{Authority}/api/v1/auth/verify</c>.</summary>
    public string? VerifyUri { get; set; }

    /// <summary>Refuse an <c>http</c> authority (true by default); turn off for a server on loopback or in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Leeway on <c>exp</c> and <c>nbf</c>: small, like the server's (not .NET's 5 minutes).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The key set is fetched again in the background when older than this (the server sends <c>max-age=300</c>).</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A token signed with a <c>kid</c> the cached key set does not hold triggers one fetch, at most
    /// once in this interval: tokens with made-up <c>kid</c>s cannot make the middleware hammer the server.
    /// </summary>
    public TimeSpan JwksMinimumRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Accept API keys (verified by the server); false accepts JWT access tokens only.</summary>
    public bool AcceptApiKeys { get; set; } = true;

    /// <summary>
    /// How long a key the server confirmed is accepted without asking again (never past the key's
    /// own expiry). A key revoked on the server stops here within this time (plus the server's own
    /// <c>ApiKeys__CacheDuration</c> when the revocation happened on another server node).
    /// </summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a key the server refused is refused without asking again (a bad key cannot hammer the server).</summary>
    public TimeSpan ApiKeyFailureCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many verified credentials are remembered (by SHA-256); past it the memory starts over.</summary>
    public int MaxCachedCredentials { get; set; } = 10_000;

    /// <summary>The <c>realm</c> of <c>WWW-Authenticate</c> challenges; none by default.</summary>
    public string? Realm { get; set; }

    /// <summary>The handler for calls to the server (JWKS, <c>/verify</c>); e.g. a test server's handler.</summary>
    public HttpMessageHandler? BackchannelHttpHandler { get; set; }

    /// <summary>Time-out of each call to the server.</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The client for calls to the server; built from the settings above when left null.</summary>
    public HttpClient? Backchannel { get; set; }

    /// <summary>Set up on first use (per scheme): the key set, the verified-credential caches.</summary>
    internal AuthPlatformState? State { get; set; }

    internal readonly Lock StateLock = new();

    /// <summary>Checks the settings; throws with what to fix.</summary>
    public override void Validate()
    {
        base.Validate();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttp && authority.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException("AuthPlatform: set Authority to the server's absolute http(s) URL, e.g. https://auth.example.com.");
        }

        if (RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException("AuthPlatform: the Authority must use https; set RequireHttpsMetadata = false for a server on loopback or in development.");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            throw new InvalidOperationException("AuthPlatform: Audience must not be empty (the server's default is 'authplatform').");
        }

        if (ClockSkew < TimeSpan.Zero || JwksRefreshInterval <= TimeSpan.Zero || JwksMinimumRefreshInterval < TimeSpan.Zero
            || ApiKeyCacheDuration < TimeSpan.Zero || ApiKeyFailureCacheDuration < TimeSpan.Zero || MaxCachedCredentials < 0)
        {
            throw new InvalidOperationException("AuthPlatform: durations and sizes must not be negative.");
        }
    }
}
