using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.WebApi.Http;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>
/// The dashboard's refresh token in an HttpOnly cookie (SPEC section 9; docs/security.md, "The
/// dashboard's refresh cookie"; ADR 0020). <c>X-Refresh-Token-Transport: cookie</c> on a login asks
/// for it: the session answer then carries no <c>refresh_token</c>, and the token is set twice, once
/// for <see cref="RefreshPath"/> and once for <see cref="LogoutPath"/>, so that no other request ever
/// carries it. A refresh or logout with no token in its body reads the cookie, after
/// <see cref="CrossSiteRequestCheck"/>; a body token wins over the cookie. HTTP transport only: the
/// use cases see a refresh token as they always did.
/// </summary>
public sealed class RefreshTokenCookie(IHostEnvironment environment, IOptions<JwtOptions> jwt, CrossSiteRequestCheck crossSite)
{
    public const string TransportHeader = "X-Refresh-Token-Transport";
    public const string CookieTransport = "cookie";
    public const string CsrfHeader = "X-AuthPlatform-CSRF";
    public const string CsrfHeaderValue = "1";
    public const string DevelopmentName = "authplatform.refresh";

    /// <summary>Outside Development: browsers accept a <c>__Secure-</c> cookie only when it is Secure and set over HTTPS.</summary>
    public const string SecureName = "__Secure-authplatform.refresh";

    public const string RefreshPath = "/api/v1/auth/refresh";
    public const string LogoutPath = "/api/v1/auth/logout";

    /// <summary>The OpenAPI description of <see cref="TransportHeader"/>.</summary>
    public const string TransportDescription =
        "`cookie`: the web dashboard's transport. The refresh token goes into an HttpOnly, SameSite=Strict cookie limited to "
        + "`/api/v1/auth/refresh` and `/api/v1/auth/logout` (`__Secure-authplatform.refresh`, Secure; `authplatform.refresh` in Development), "
        + "and the answer leaves `refresh_token` out. Without it the refresh token is in the answer.";

    /// <summary>The OpenAPI description of <see cref="CsrfHeader"/>.</summary>
    public const string CsrfDescription =
        "`1`. Required when the refresh token is taken from the refresh cookie (no `refresh_token` in the body), together with an `Origin` "
        + "(if sent) of this server or a configured CORS origin and a `Sec-Fetch-Site` (if sent) of `same-origin` or `none`: else 403 `csrf_check_failed`.";

    private static readonly string[] Paths = [RefreshPath, LogoutPath];

    private readonly bool _secure = !environment.IsDevelopment();

    public string Name => _secure ? SecureName : DevelopmentName;

    /// <summary>True when the request asks for its refresh token in the cookie rather than in the answer.</summary>
    public static bool IsRequested(HttpRequest request) =>
        string.Equals(request.Headers[TransportHeader].ToString().Trim(), CookieTransport, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The refresh token a refresh or logout presents: the body's when it has one (the cookie is then
    /// ignored), else the cookie's once <see cref="CrossSiteRequestCheck"/> passed, else none (empty:
    /// the use case refuses it as missing, as it always did).
    /// </summary>
    public Result<PresentedRefreshToken> Read(HttpRequest request, string? bodyToken)
    {
        if (!string.IsNullOrEmpty(bodyToken))
        {
            return new PresentedRefreshToken(bodyToken, FromCookie: false);
        }

        if (request.Cookies[Name] is not { Length: > 0 } cookie)
        {
            return new PresentedRefreshToken(string.Empty, FromCookie: false);
        }

        return crossSite.Check(request) is { } refused
            ? Result<PresentedRefreshToken>.Failure(refused)
            : new PresentedRefreshToken(cookie, FromCookie: true);
    }

    /// <summary>
    /// Sets the cookie to <paramref name="refreshToken"/> when the request asked for it (<see cref="IsRequested"/>) or
    /// presented its token in the cookie; true when it did, and the answer then leaves <c>refresh_token</c> out.
    /// </summary>
    public bool Deliver(HttpContext http, string refreshToken, bool presentedInCookie = false)
    {
        if (!presentedInCookie && !IsRequested(http.Request))
        {
            return false;
        }

        Set(http.Response, refreshToken);
        return true;
    }

    /// <summary>Sets the refresh token on both paths, for the configured refresh-token lifetime.</summary>
    public void Set(HttpResponse response, string refreshToken)
    {
        foreach (var path in Paths)
        {
            response.Cookies.Append(Name, refreshToken, Options(path, jwt.Value.RefreshTokenLifetime));
        }
    }

    /// <summary>Expires both cookies (empty value, <c>Max-Age=0</c> and an expiry in 1970).</summary>
    public void Clear(HttpResponse response)
    {
        foreach (var path in Paths)
        {
            var options = Options(path, TimeSpan.Zero);
            options.Expires = DateTimeOffset.UnixEpoch;
            response.Cookies.Append(Name, string.Empty, options);
        }
    }

    private CookieOptions Options(string path, TimeSpan maxAge) => new()
    {
        Path = path,
        HttpOnly = true,
        Secure = _secure,
        SameSite = SameSiteMode.Strict,
        MaxAge = maxAge,
        IsEssential = true,
    };
}

/// <param name="Token">The refresh token presented; empty when there was none.</param>
/// <param name="FromCookie">True when it came from the cookie: the answer then sets (or, on a refusal, clears) the cookie again.</param>
public sealed record PresentedRefreshToken(string Token, bool FromCookie);
