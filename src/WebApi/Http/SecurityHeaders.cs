using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// Security headers on every answer, set when the response starts (so they survive the exception
/// handler clearing the response): <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy:
/// no-referrer</c>, <c>X-Frame-Options: DENY</c>, a Content-Security-Policy (none at all for JSON; a
/// same-origin one for HTML) unless the endpoint set its own, and <c>Cache-Control: no-store</c> on
/// every answer to a request that presented a credential and on every answer that did not choose
/// its own caching. Nothing is allocated per request: the values are static and the callback static.
/// </summary>
public static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public const string HtmlPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The Scalar page (Development only) configures itself in an inline script and styles itself inline.</summary>
    public const string ScalarPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ReferrerPolicyHeader = "Referrer-Policy";

    private static readonly StringValues NoSniff = "nosniff";
    private static readonly StringValues NoReferrer = "no-referrer";
    private static readonly StringValues Deny = "DENY";
    private static readonly StringValues NoStore = "no-store";
    private static readonly StringValues Api = ApiPolicy;
    private static readonly StringValues Html = HtmlPolicy;
    private static readonly StringValues Scalar = ScalarPolicy;
    private static readonly Func<object, Task> Apply = ApplyHeaders;

    /// <summary>First in the pipeline, so that every answer, problems and redirects included, gets the headers.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(Apply, context);
            return next(context);
        });

    private static Task ApplyHeaders(object state)
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = NoSniff;
        headers[ReferrerPolicyHeader] = NoReferrer;
        headers.XFrameOptions = Deny;
        if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = PolicyFor(http);
        }

        if (CarriesCredential(http.Request) || !headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = NoStore;
        }

        return Task.CompletedTask;
    }

    private static StringValues PolicyFor(HttpContext http)
    {
        var type = http.Response.ContentType;
        if (type is null || !type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return Api;
        }

        return http.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase) ? Scalar : Html;
    }

    /// <summary>A credential in a header, a cookie, or in the URL (refused by authentication, but answered).</summary>
    private static bool CarriesCredential(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.ContainsKey(HeaderNames.Authorization) || headers.ContainsKey("X-API-Key") || headers.ContainsKey(HeaderNames.Cookie))
        {
            return true;
        }

        var query = request.QueryString.Value;
        return query is not null
            && (query.Contains("access_token", StringComparison.OrdinalIgnoreCase) || query.Contains("api_key", StringComparison.OrdinalIgnoreCase));
    }
}
