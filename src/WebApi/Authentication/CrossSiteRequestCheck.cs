using AuthPlatform.Application.Common.Results;
using AuthPlatform.WebApi.Http;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>
/// The cross-site request forgery check of every request that uses the dashboard's refresh cookie
/// (<see cref="RefreshTokenCookie"/>; docs/security.md, "The dashboard's refresh cookie"). SameSite=Strict
/// already keeps the cookie off requests from other sites; this also refuses what a sibling origin of the
/// same site, or an older browser, could send.
/// </summary>
public sealed class CrossSiteRequestCheck(CrossOriginOptions crossOrigin)
{
    private static readonly Error Refused = new(
        ErrorCodes.CsrfCheckFailed,
        $"A request that uses the refresh cookie must come from this server's own pages and carry '{RefreshTokenCookie.CsrfHeader}: {RefreshTokenCookie.CsrfHeaderValue}'.");

    private readonly HashSet<string> _allowedOrigins =
        crossOrigin.AllowedOrigins.Select(NormalizedOrigin).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Null when a request that uses the cookie may: it carries <c>X-AuthPlatform-CSRF: 1</c> (a header no
    /// other site can add without a CORS preflight, which this server never grants for it); its
    /// <c>Origin</c>, if any, is this server's own or a configured CORS origin; its <c>Sec-Fetch-Site</c>,
    /// if any, is <c>same-origin</c> or <c>none</c>. Otherwise 403 <c>csrf_check_failed</c>.
    /// </summary>
    public Error? Check(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers[RefreshTokenCookie.CsrfHeader].ToString() != RefreshTokenCookie.CsrfHeaderValue)
        {
            return Refused;
        }

        if (headers.Origin.Count > 0)
        {
            var origin = NormalizedOrigin(headers.Origin.ToString());
            var own = NormalizedOrigin($"{request.Scheme}://{request.Host.Value}");
            if (origin is null || (origin != own && !_allowedOrigins.Contains(origin)))
            {
                return Refused;
            }
        }

        if (headers["Sec-Fetch-Site"].Count > 0 && headers["Sec-Fetch-Site"].ToString() is not ("same-origin" or "none"))
        {
            return Refused;
        }

        return null;
    }

    /// <summary><c>scheme://host[:port]</c> with the default port left out and in lower case; null when it is no origin (<c>null</c> included).</summary>
    private static string? NormalizedOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;
}
