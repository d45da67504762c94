namespace AuthPlatform.Client;

/// <summary>
/// How an <see cref="AuthPlatformClient"/> reaches the server and which credential it sends. A new instance
/// starts from the environment (<c>AUTHPLATFORM_URL</c>, <c>AUTHPLATFORM_API_KEY</c>, <c>AUTHPLATFORM_CLIENT_ID</c>,
/// <c>AUTHPLATFORM_CLIENT_SECRET</c>, <c>AUTHPLATFORM_SCOPE</c>); set a property to override it, null included.
/// </summary>
/// <remarks>
/// The credential of <see cref="AuthPlatformClient.Api"/>, the first that applies: <see cref="ApiKey"/>; then
/// <see cref="ClientId"/> with <see cref="ClientSecret"/> (client credentials); then the tokens of
/// <see cref="TokenStore"/> (a sign-in or a device grant).
/// </remarks>
public sealed class AuthPlatformClientOptions
{
    /// <summary>The server's base address, e.g. <c>https://auth.example.com</c> (default: <c>AUTHPLATFORM_URL</c>).</summary>
    public Uri? BaseUrl { get; set; } = Env.Uri("AUTHPLATFORM_URL");

    /// <summary>An API key (<c>ap_…</c>), sent as <c>X-API-Key</c> (default: <c>AUTHPLATFORM_API_KEY</c>).</summary>
    public string? ApiKey { get; set; } = Env.Text("AUTHPLATFORM_API_KEY");

    /// <summary>
    /// A client id (default: <c>AUTHPLATFORM_CLIENT_ID</c>). With <see cref="ClientSecret"/>: the client-credentials
    /// grant for a service account or confidential client.
    /// </summary>
    public string? ClientId { get; set; } = Env.Text("AUTHPLATFORM_CLIENT_ID");

    /// <summary>The client's secret (default: <c>AUTHPLATFORM_CLIENT_SECRET</c>), sent with HTTP Basic to <c>/oauth/token</c>.</summary>
    public string? ClientSecret { get; set; } = Env.Text("AUTHPLATFORM_CLIENT_SECRET");

    /// <summary>The scopes to ask for with client credentials, space-separated (default: <c>AUTHPLATFORM_SCOPE</c>; none: all the client may hold).</summary>
    public string? Scope { get; set; } = Env.Text("AUTHPLATFORM_SCOPE");

    /// <summary>Where a user's tokens live (a sign-in's or a device grant's). Default: a new <see cref="InMemoryTokenStore"/>.</summary>
    public ITokenStore? TokenStore { get; set; }

    /// <summary>How long before its expiry an access token is renewed (default 30 seconds).</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The handler that sends the requests (default: a <see cref="SocketsHttpHandler"/> that follows no redirects).
    /// Not disposed by the client. Tests pass the in-process server's handler here.
    /// </summary>
    public HttpMessageHandler? InnerHandler { get; set; }

    /// <summary>Added to the <c>User-Agent</c> header after <c>AuthPlatform.Client/&lt;version&gt;</c>, e.g. <c>my-tool/1.2</c>.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The clock that decides when a token is near its expiry (tests).</summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;
}

internal static class Env
{
    public static string? Text(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    public static Uri? Uri(string name) => Text(name) is { } value
        ? System.Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"{name} is not an absolute URL: '{value}'.")
        : null;
}
