// Longer than 150 lines because the authorization endpoint's four steps (request, login, second factor, consent) share their checks, their cookie and their answers here.
using System.ComponentModel;
using System.Text.Json.Serialization;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Authorize.CheckAuthorizationRequest;
using AuthPlatform.Application.OAuth.Authorize.Common;
using AuthPlatform.Application.OAuth.Authorize.IssueAuthorizationCode;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using AuthPlatform.WebApi.Pages;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Endpoints;

/// <summary>
/// <c>GET /oauth/authorize</c> (RFC 6749 4.1.1) and the pages it leads through: login, second
/// factor, consent. The protocol's rules are the Application's use cases
/// (<see cref="CheckAuthorizationRequestQuery"/>, <see cref="LoginCommand"/>,
/// <see cref="LoginWithSecondFactorCommand"/>, <see cref="IssueAuthorizationCodeCommand"/>); this
/// class reads forms, checks antiforgery, keeps the browser's cookie and writes pages or redirects.
/// </summary>
public static partial class AuthorizeEndpoints
{
    /// <summary>For the OpenAPI document: the query of <c>GET /oauth/authorize</c>.</summary>
    public sealed record AuthorizeParameters(
        [property: Description("code")] string ResponseType,
        [property: Description("The registered client.")] string ClientId,
        [property: Description("One of the client's registered redirect URIs.")] string RedirectUri,
        [property: Description("The PKCE challenge (RFC 7636), BASE64URL(SHA-256(verifier)).")] string CodeChallenge,
        [property: Description("S256")] string CodeChallengeMethod,
        [property: Description("Space-separated scopes, e.g. openid profile email.")] string? Scope,
        [property: Description("Returned unchanged on the redirect.")] string? State,
        [property: Description("OpenID Connect: copied into the ID token.")] string? Nonce,
        [property: Description("none (no page: error if sign-in or consent is needed) or login (sign in again).")] string? Prompt);

    /// <summary>For the OpenAPI document: the sign-in page's login form.</summary>
    public sealed record AuthorizeLoginForm(string Email, string Password, [property: JsonPropertyName("__RequestVerificationToken")] string RequestVerificationToken);

    /// <summary>For the OpenAPI document: the sign-in page's second-factor form.</summary>
    public sealed record AuthorizeSecondFactorForm(
        string MfaToken, [property: Description("A TOTP code or a recovery code.")] string Code, [property: JsonPropertyName("__RequestVerificationToken")] string RequestVerificationToken);

    /// <summary>For the OpenAPI document: the consent page's form.</summary>
    public sealed record AuthorizeConsentForm(
        [property: Description("approve or deny")] string Decision, [property: JsonPropertyName("__RequestVerificationToken")] string RequestVerificationToken);

    public static IEndpointRouteBuilder MapAuthorizeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/oauth/authorize", AuthorizeAsync)
            .WithName("Authorize").WithTags("OAuth").WithMetadata(new ProtocolParametersAttribute(typeof(AuthorizeParameters)))
            .WithSummary("OAuth 2.0 authorization endpoint")
            .WithDescription("RFC 6749 4.1.1 with PKCE (S256): a browser page. Signs the user in (with the second factor), asks for consent, "
                + "then redirects to `redirect_uri` with `code`, `state` and `iss` (RFC 9207), or with `error`. A request that cannot redirect "
                + "safely (unknown client, unregistered redirect URI) gets an HTML error page.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status302Found)
            .Produces<string>(StatusCodes.Status400BadRequest, "text/html");
        Page(endpoints.MapPost("/oauth/authorize/login", LoginAsync).WithName("AuthorizeLogin").RequireRateLimiting(RateLimits.Credentials),
            typeof(AuthorizeLoginForm), "Sign-in page: log in", "The login form of /oauth/authorize (the page's own form, with its antiforgery token).");
        Page(endpoints.MapPost("/oauth/authorize/2fa", SecondFactorAsync).WithName("AuthorizeSecondFactor").RequireRateLimiting(RateLimits.Credentials),
            typeof(AuthorizeSecondFactorForm), "Sign-in page: second factor", "The second-factor form of /oauth/authorize: a TOTP code or a recovery code.");
        Page(endpoints.MapPost("/oauth/authorize/consent", ConsentAsync).WithName("AuthorizeConsent"),
            typeof(AuthorizeConsentForm), "Sign-in page: consent", "The consent form of /oauth/authorize: `approve` redirects with a code, `deny` with `access_denied`.");
        return endpoints;
    }

    /// <summary>A form post of the sign-in pages: the authorization request stays in the query string; the answer is a page or a redirect.</summary>
    private static void Page(RouteHandlerBuilder page, Type form, string summary, string description) =>
        page.WithTags("OAuth sign-in pages").WithMetadata(new ProtocolParametersAttribute(form))
            .WithMetadata(new ApiTagAttribute("OAuth sign-in pages",
                "The HTML forms that /oauth/authorize shows, posted by the browser with their antiforgery token; not for API clients."))
            .WithSummary(summary).WithDescription(description)
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status303SeeOther)
            .Produces<string>(StatusCodes.Status400BadRequest, "text/html").Produces<string>(StatusCodes.Status423Locked, "text/html")
            .Produces<string>(StatusCodes.Status429TooManyRequests, "text/html");

    private static async Task AuthorizeAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        var request = await CheckAsync(http, sender, ct);
        if (request is null || await RefusePlainHttpAsync(http))
        {
            return;
        }

        var signIn = request.Prompt == AuthorizationRequest.PromptLogin ? null : await BrowserCookie.ReadAsync(http);
        if (signIn is null)
        {
            await AskToSignInAsync(http, request, null);
            return;
        }

        await ContinueAsync(http, sender, request, signIn, consentGiven: false, ct);
    }

    private static async Task LoginAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        var request = await CheckPostAsync(http, sender, ct);
        if (request is null)
        {
            return;
        }

        var form = http.Request.Form;
        var email = form["email"].ToString();
        var result = await sender.Send(new LoginCommand(email, form["password"].ToString()), ct);
        if (result.IsFailure)
        {
            await WritePageAsync(http, StatusFor(result.Error!), SignInPages.Login(QueryOf(http), Antiforgery(http), request.ClientName, MessageFor(result.Error!), email), request);
            return;
        }

        if (result.Value!.Challenge is { } challenge)
        {
            await WritePageAsync(http, StatusCodes.Status200OK, SignInPages.SecondFactor(QueryOf(http), Antiforgery(http), challenge.MfaToken, null), request);
            return;
        }

        var signIn = await BrowserCookie.SignInAsync(http, result.Value.Session!);
        await ContinueAsync(http, sender, request, signIn, consentGiven: false, ct);
    }

    private static async Task SecondFactorAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        var request = await CheckPostAsync(http, sender, ct);
        if (request is null)
        {
            return;
        }

        var mfaToken = http.Request.Form["mfa_token"].ToString();
        var result = await sender.Send(SecondFactorCommand(http.Request.Form), ct);
        if (result.IsFailure)
        {
            var error = result.Error!;
            var page = error.Code == ErrorCodes.InvalidToken
                ? SignInPages.Login(QueryOf(http), Antiforgery(http), request.ClientName, error.Message)
                : SignInPages.SecondFactor(QueryOf(http), Antiforgery(http), mfaToken, MessageFor(error));
            await WritePageAsync(http, StatusFor(error), page, request);
            return;
        }

        var signIn = await BrowserCookie.SignInAsync(http, result.Value!);
        await ContinueAsync(http, sender, request, signIn, consentGiven: false, ct);
    }

    private static async Task ConsentAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        var request = await CheckPostAsync(http, sender, ct);
        if (request is null)
        {
            return;
        }

        var signIn = await BrowserCookie.ReadAsync(http);
        if (signIn is null)
        {
            await AskToSignInAsync(http, request, "Your sign-in has ended: sign in again.");
            return;
        }

        var decision = http.Request.Form["decision"].ToString();
        if (decision == "deny")
        {
            RedirectToClient(http, request.RedirectUri, request.State, [("error", OAuthProtocolErrors.AccessDenied), ("error_description", "The user denied the request.")]);
            return;
        }

        if (decision != "approve")
        {
            await WriteErrorPageAsync(http, "The consent form was not answered with Allow or Deny.");
            return;
        }

        await ContinueAsync(http, sender, request, signIn, consentGiven: true, ct);
    }

    /// <summary>The code, the consent page, or the login page again, as the Application decides.</summary>
    private static async Task ContinueAsync(HttpContext http, ISender sender, AuthorizationRequest request, BrowserSignIn signIn, bool consentGiven, CancellationToken ct)
    {
        var result = await sender.Send(new IssueAuthorizationCodeCommand(request, signIn, consentGiven), ct);
        if (result.IsFailure)
        {
            RedirectToClient(http, request.RedirectUri, request.State, [("error", OAuthProtocolErrors.ProtocolCode(result.Error!)), ("error_description", result.Error!.Message)]);
            return;
        }

        var outcome = result.Value!;
        switch (outcome.Step)
        {
            case AuthorizationStep.CodeIssued:
                RedirectToClient(http, request.RedirectUri, request.State, [("code", outcome.Code!)]);
                return;
            case AuthorizationStep.LoginRequired:
                await http.SignOutAsync(BrowserCookie.Scheme);
                await AskToSignInAsync(http, request, "Your sign-in has ended: sign in again.");
                return;
            case AuthorizationStep.ConsentRequired when request.Prompt == AuthorizationRequest.PromptNone:
                RedirectToClient(http, request.RedirectUri, request.State, [("error", OAuthProtocolErrors.ConsentRequired), ("error_description", "The user has not consented to these scopes.")]);
                return;
            default:
                await WritePageAsync(http, StatusCodes.Status200OK, SignInPages.Consent(QueryOf(http), Antiforgery(http), request.ClientName, outcome.ScopesToConsent), request);
                return;
        }
    }

    private static async Task AskToSignInAsync(HttpContext http, AuthorizationRequest request, string? message)
    {
        if (request.Prompt == AuthorizationRequest.PromptNone)
        {
            RedirectToClient(http, request.RedirectUri, request.State, [("error", OAuthProtocolErrors.LoginRequired), ("error_description", "The user is not signed in.")]);
            return;
        }

        await WritePageAsync(http, StatusCodes.Status200OK, SignInPages.Login(QueryOf(http), Antiforgery(http), request.ClientName, message), request);
    }

    /// <summary>The checked request; null when an answer (an error page or redirect) was written.</summary>
    private static async Task<AuthorizationRequest?> CheckAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new CheckAuthorizationRequestQuery(ParametersOf(http.Request.Query)), ct);
        var check = result.Value!;
        if (check.PageError is not null)
        {
            await WriteErrorPageAsync(http, check.PageError);
            return null;
        }

        if (check.RedirectError is { } error)
        {
            RedirectToClient(http, error.RedirectUri, error.State, [("error", error.Error), ("error_description", error.Description)]);
            return null;
        }

        return check.Request;
    }

    /// <summary>A form post: antiforgery first (400 page when missing or wrong), then the request in its query string.</summary>
    private static async Task<AuthorizationRequest?> CheckPostAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        if (await RefusePlainHttpAsync(http))
        {
            return null;
        }

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            await WriteErrorPageAsync(http, "The form was not sent from this server's page, or the page has expired: go back to the application and start again.");
            return null;
        }

        return await CheckAsync(http, sender, ct);
    }

    /// <summary>
    /// Outside Development the pages' cookies are Secure-only (<see cref="BrowserCookie"/>), and the
    /// antiforgery system throws on a plain-HTTP request: such a request (no TLS, or TLS ended at a
    /// proxy whose forwarded headers are not trusted) gets a 400 page and a warning for the operator
    /// instead of a 500. True when that answer was written.
    /// </summary>
    internal static async Task<bool> RefusePlainHttpAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        if (http.Request.IsHttps || options.Cookie.SecurePolicy != CookieSecurePolicy.Always)
        {
            return false;
        }

        LogPlainHttp(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthorizeEndpoints)), http.Request.Method, http.Request.Path.Value);
        await WriteErrorPageAsync(http, "This sign-in page works over HTTPS only: open the application's sign-in link with https://.");
        return true;
    }

    private static AuthorizationParameters ParametersOf(IQueryCollection query)
    {
        string? One(string name) => query.TryGetValue(name, out var values) ? values[0] : null;
        var repeated = query.Where(q => q.Value.Count > 1).Select(q => q.Key).ToList();
        return new AuthorizationParameters(
            One("response_type"), One("client_id"), One("redirect_uri"), One("scope"), One("state"),
            One("code_challenge"), One("code_challenge_method"), One("nonce"), One("prompt"), repeated);
    }

    /// <summary>RFC 6749 4.1.2 and RFC 9207: the answer's parameters, <c>state</c> and <c>iss</c>, added to the redirect URI's own query.</summary>
    private static void RedirectToClient(HttpContext http, string redirectUri, string? state, IEnumerable<(string Name, string Value)> parameters)
    {
        var values = parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)).ToList();
        if (state is not null)
        {
            values.Add(new("state", state));
        }

        values.Add(new("iss", http.RequestServices.GetRequiredService<IOptions<JwtOptions>>().Value.Issuer));
        http.Response.StatusCode = HttpMethods.IsPost(http.Request.Method) ? StatusCodes.Status303SeeOther : StatusCodes.Status302Found;
        http.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri, values);
    }

    internal static Task WriteErrorPageAsync(HttpContext http, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(SignInPages.Error(message));
    }

    /// <summary>A page with a form: its CSP lets the form's answer redirect to the application (form-action covers redirects).</summary>
    private static Task WritePageAsync(HttpContext http, int status, string html, AuthorizationRequest request)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = BrowserCookie.PolicyAllowingRedirectTo(request.RedirectUri);
        return http.Response.WriteAsync(html);
    }

    private static string QueryOf(HttpContext http) => http.Request.QueryString.Value ?? string.Empty;

    internal static string Antiforgery(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken!;

    internal static int StatusFor(Error error) => error.Code switch
    {
        ErrorCodes.InvalidCredentials or ErrorCodes.InvalidMfaCode => StatusCodes.Status200OK,
        ErrorCodes.AccountLocked => StatusCodes.Status423Locked,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// The second-factor page's one input, <c>code</c>: six digits are a TOTP code, anything else a
    /// recovery code (the sign-in pages of <c>/oauth/authorize</c> and <c>/oauth/device</c>).
    /// </summary>
    internal static LoginWithSecondFactorCommand SecondFactorCommand(IFormCollection form)
    {
        var code = form["code"].ToString().Trim();
        var isTotp = code.Length == 6 && code.All(char.IsAsciiDigit);
        return new LoginWithSecondFactorCommand(form["mfa_token"].ToString(), isTotp ? code : null, isTotp ? null : code);
    }

    internal static string MessageFor(Error error) =>
        error.Fields is { Count: > 0 } fields ? string.Join(" ", fields.Values.SelectMany(v => v)) : error.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "{Method} {Path} over plain HTTP outside Development: answered 400, the sign-in pages need HTTPS (behind a TLS proxy, list it in ForwardedHeaders__KnownProxies)")]
    private static partial void LogPlainHttp(ILogger logger, string method, string? path);
}
