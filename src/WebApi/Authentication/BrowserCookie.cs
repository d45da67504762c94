using System.Globalization;
using System.Security.Claims;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;
using AuthPlatform.Infrastructure.Tokens;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>
/// The browser's sign-in for <c>/oauth/authorize</c> (docs/security.md, "The sign-in cookie"): an
/// ASP.NET Core authentication cookie of its own scheme, <c>authplatform.signin</c>, HttpOnly,
/// SameSite=Lax, Secure outside Development, path <c>/oauth</c>, one hour from the login and not
/// sliding. It carries the user id, the session the login started (<c>sid</c>), <c>auth_time</c>,
/// <c>amr</c> and the security-stamp fingerprint; the Application checks these on every use, so a
/// password change, a disabled account or the end of that session ends the cookie too.
/// </summary>
public static class BrowserCookie
{
    public const string Scheme = "AuthPlatform.Browser";
    public const string CookieName = "authplatform.signin";
    public const string AntiforgeryCookieName = "authplatform.antiforgery";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private const string SessionClaim = "sid";
    private const string AuthTimeClaim = "auth_time";
    private const string MethodsClaim = "amr";
    private const string StampClaim = "stamp";

    public static AuthenticationBuilder AddBrowserSignIn(this AuthenticationBuilder builder, IServiceCollection services, IHostEnvironment environment)
    {
        var secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = AntiforgeryCookieName;
            antiforgery.Cookie.Path = "/oauth";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = secure;
            antiforgery.FormFieldName = Pages.SignInPages.AntiforgeryField;
            antiforgery.HeaderName = null;
            antiforgery.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY
        });
        return builder.AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.Path = "/oauth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = secure;
            cookie.ExpireTimeSpan = Lifetime;
            cookie.SlidingExpiration = false;
            cookie.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>The browser's sign-in, or null when it has no valid cookie.</summary>
    public static async Task<BrowserSignIn?> ReadAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        var principal = result.Succeeded ? result.Principal : null;
        if (principal is null
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(SessionClaim), out var sessionId)
            || !long.TryParse(principal.FindFirstValue(AuthTimeClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var authTime)
            || principal.FindFirstValue(StampClaim) is not { } stamp)
        {
            return null;
        }

        var methods = principal.FindAll(MethodsClaim).Select(c => c.Value).ToList();
        return new BrowserSignIn(userId, sessionId, stamp, DateTimeOffset.FromUnixTimeSeconds(authTime), methods);
    }

    /// <summary>
    /// Sets the cookie for a login that just completed (the session answer of the Login use
    /// cases): the claims are those of the access token that login issued, read from it as issued.
    /// </summary>
    public static async Task<BrowserSignIn> SignInAsync(HttpContext http, SessionResponse session)
    {
        var token = new JsonWebToken(session.Token);
        var authTime = token.GetPayloadValue<long>(AccessTokenClaims.AuthTime);
        var methods = token.Claims.Where(c => c.Type == AccessTokenClaims.AuthenticationMethods).Select(c => c.Value).ToList();
        var signIn = new BrowserSignIn(
            session.User.Id,
            Guid.Parse(token.GetPayloadValue<string>(AccessTokenClaims.SessionId)),
            token.GetPayloadValue<string>(AccessTokenClaims.SecurityStamp),
            DateTimeOffset.FromUnixTimeSeconds(authTime),
            methods);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, signIn.UserId.ToString()),
            new(SessionClaim, signIn.SessionId.ToString()),
            new(AuthTimeClaim, authTime.ToString(CultureInfo.InvariantCulture)),
            new(StampClaim, signIn.StampFingerprint),
        };
        claims.AddRange(methods.Select(m => new Claim(MethodsClaim, m)));
        var properties = new AuthenticationProperties { IsPersistent = false, AllowRefresh = false };
        await http.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme)), properties);
        return signIn;
    }

    /// <summary>
    /// The HTML policy, with the application's origin added to <c>form-action</c>: browsers apply
    /// form-action to the redirects that follow a form's submission, and a login or consent form
    /// ends in a redirect to the (already validated) redirect URI.
    /// </summary>
    public static string PolicyAllowingRedirectTo(string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
        {
            return SecurityHeaders.HtmlPolicy;
        }

        var source = uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
        return SecurityHeaders.HtmlPolicy.Replace("form-action 'self'", "form-action 'self' " + source, StringComparison.Ordinal);
    }
}
