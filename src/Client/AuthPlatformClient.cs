// Longer than 150 lines because it is the SDK's public entry point: each step (sign-in, second factor, device grant, refresh, sign-out) is a few lines with the documentation its users read.
using System.Reflection;
using AuthPlatform.Client.Credentials;
using AuthPlatform.Client.Generated;
using AuthPlatform.Client.Generated.Api.V1;
using AuthPlatform.Client.Http;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace AuthPlatform.Client;

/// <summary>
/// The AuthPlatform SDK: <see cref="Api"/>, the client Kiota generates from the OpenAPI document, authenticated by
/// whichever credential the options give (see <see cref="AuthPlatformClientOptions"/>), and the sign-in, device-grant
/// and sign-out steps that put a user's tokens in the token store. Every 4xx and 5xx answer throws
/// <see cref="AuthPlatformException"/>. Thread-safe; make one per server and credential and keep it.
/// </summary>
public sealed class AuthPlatformClient : IDisposable
{
    private readonly HttpClient _apiHttp;
    private readonly HttpClient _anonymousHttp;
    private readonly HttpMessageHandler? _ownedHandler;
    private readonly TokenEndpoint _endpoint;
    private readonly StoredTokens _storedTokens;

    private AuthPlatformClient(AuthPlatformClientOptions options)
    {
        var baseUrl = options.BaseUrl
            ?? throw new InvalidOperationException("No server address: set AuthPlatformClientOptions.BaseUrl or AUTHPLATFORM_URL.");
        if (options.RefreshBefore < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RefreshBefore must not be negative.");
        }

        TokenStore = options.TokenStore ?? new InMemoryTokenStore();
        if (options.InnerHandler is null)
        {
            // No redirects: a credential is never sent on to another address.
            _ownedHandler = new SocketsHttpHandler { AllowAutoRedirect = false };
        }

        var inner = options.InnerHandler ?? _ownedHandler!;
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        var userAgent = $"AuthPlatform.Client/{Version}{(string.IsNullOrWhiteSpace(options.UserAgent) ? "" : " " + options.UserAgent.Trim())}";

        _anonymousHttp = Http(new ErrorAnswers(new NotDisposing(inner)), userAgent);
        var anonymousAdapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _anonymousHttp) { BaseUrl = root };
        _endpoint = new TokenEndpoint(new AuthPlatformApiClient(anonymousAdapter), options.Clock);

        _storedTokens = new StoredTokens(TokenStore, _endpoint, options.RefreshBefore, options.Clock);
        Credential = options switch
        {
            { ApiKey: { Length: > 0 } key } => new ApiKeyCredential(key),
            { ClientId: { Length: > 0 } id, ClientSecret: { Length: > 0 } secret } =>
                new ClientCredentials(_endpoint, id, secret, options.Scope, options.RefreshBefore, options.Clock),
            _ => _storedTokens,
        };

        _apiHttp = Http(new ErrorAnswers(new Authentication(Credential, new NotDisposing(inner))), userAgent);
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _apiHttp) { BaseUrl = root };
        Api = new AuthPlatformApiClient(adapter);
    }

    /// <summary>A client configured from <c>AUTHPLATFORM_URL</c> and <c>AUTHPLATFORM_API_KEY</c> (or <c>AUTHPLATFORM_CLIENT_ID</c> and <c>AUTHPLATFORM_CLIENT_SECRET</c>).</summary>
    public static AuthPlatformClient FromEnvironment() => new(new AuthPlatformClientOptions());

    /// <summary>A client configured by <paramref name="options"/>.</summary>
    public static AuthPlatformClient Create(AuthPlatformClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AuthPlatformClient(options);
    }

    /// <summary>The generated client of the whole REST API and the OAuth endpoints, authenticated.</summary>
    public AuthPlatformApiClient Api { get; }

    /// <summary>The REST API under <c>/api/v1</c>: <see cref="Api"/><c>.Api.V1</c>.</summary>
    public V1RequestBuilder V1 => Api.Api.V1;

    /// <summary>Where the user's tokens are kept.</summary>
    public ITokenStore TokenStore { get; }

    internal Credential Credential { get; }

    private static string Version =>
        typeof(AuthPlatformClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>
    /// Signs a user in with their e-mail address and password (<c>POST /api/v1/auth/login</c>). Completed: the session's
    /// tokens are in the token store. With 2FA on: finish with <see cref="CompleteSecondFactorAsync"/>.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken ct = default)
    {
        var result = await _endpoint.SignInAsync(email, password, ct).ConfigureAwait(false);
        if (result is SignInResult.Completed completed)
        {
            await TokenStore.SaveAsync(completed.Tokens, ct).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// The second step of a sign-in with 2FA on (<c>POST /api/v1/auth/login/2fa</c>): a current TOTP code (6 digits)
    /// or a recovery code. The session's tokens are saved in the token store.
    /// </summary>
    public async Task<TokenSet> CompleteSecondFactorAsync(SecondFactorChallenge challenge, string code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var tokens = await _endpoint.SecondFactorAsync(challenge, code, ct).ConfigureAwait(false);
        await TokenStore.SaveAsync(tokens, ct).ConfigureAwait(false);
        return tokens;
    }

    /// <summary>Starts the device authorization grant (RFC 8628) for a public client: <c>POST /oauth/device_authorization</c>.</summary>
    public Task<DeviceAuthorization> StartDeviceAuthorizationAsync(string clientId, string? scope, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        return _endpoint.StartDeviceAuthorizationAsync(clientId, scope, ct);
    }

    /// <summary>
    /// Polls <c>/oauth/token</c> until the person approves (the tokens are saved in the token store and returned) or
    /// not: <see cref="AuthPlatformOAuthException"/> with <c>access_denied</c> or <c>expired_token</c>. Honours the
    /// interval and <c>slow_down</c>.
    /// </summary>
    public async Task<TokenSet> WaitForDeviceAuthorizationAsync(DeviceAuthorization authorization, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var tokens = await _endpoint.WaitForDeviceAuthorizationAsync(authorization, ct).ConfigureAwait(false);
        await TokenStore.SaveAsync(tokens, ct).ConfigureAwait(false);
        return tokens;
    }

    /// <summary>
    /// Refreshes the stored tokens now (single-flight with the automatic refreshes), e.g. after enabling 2FA or changing
    /// the password, which revoke the access tokens issued before. A refused refresh clears the store and throws
    /// <see cref="AuthPlatformSessionEndedException"/>.
    /// </summary>
    public async Task<TokenSet> RefreshAsync(CancellationToken ct = default)
    {
        var tokens = await TokenStore.LoadAsync(ct).ConfigureAwait(false) ?? throw new AuthPlatformSessionEndedException("not signed in");
        return await _storedTokens.RefreshAsync(tokens.AccessToken, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the stored session on the server (a session: <c>POST /api/v1/auth/logout</c>; OAuth tokens:
    /// <c>POST /oauth/revoke</c> with the client id), then clears the token store, even when the server could not be
    /// told (the exception then says so).
    /// </summary>
    public async Task SignOutAsync(CancellationToken ct = default)
    {
        if (await TokenStore.LoadAsync(ct).ConfigureAwait(false) is not { } tokens)
        {
            return;
        }

        try
        {
            await _endpoint.SignOutAsync(tokens, ct).ConfigureAwait(false);
        }
        finally
        {
            await TokenStore.SaveAsync(null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _apiHttp.Dispose();
        _anonymousHttp.Dispose();
        _ownedHandler?.Dispose();
    }

    private static HttpClient Http(HttpMessageHandler handler, string userAgent)
    {
        var http = new HttpClient(handler, disposeHandler: true);
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return http;
    }
}
