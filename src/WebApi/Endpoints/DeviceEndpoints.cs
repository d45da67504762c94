// Longer than 150 lines because the device verification's steps (code entry, login, second factor, decision) share their checks, their cookie and their answers here.
using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.CheckUserCode;
using AuthPlatform.Application.OAuth.Device.DecideDeviceAuthorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using AuthPlatform.WebApi.Pages;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthPlatform.WebApi.Endpoints;

/// <summary>
/// The device verification page of RFC 8628 (3.3), <c>GET /oauth/device</c> (the
/// <c>verification_uri</c>; <c>?user_code=</c> fills the code in): a person signs in with the same
/// cookie and pages as <c>/oauth/authorize</c> (login, second factor, then back here), enters the
/// code, sees the application and its scopes, and approves or denies. Every form carries the
/// antiforgery token. The rules are the Application's (<see cref="CheckUserCodeCommand"/>,
/// <see cref="DecideDeviceAuthorizationCommand"/>: wrong codes throttled per address and person).
/// </summary>
public static class DeviceEndpoints
{
    private const string Tag = "OAuth device pages";

    /// <summary>For the OpenAPI document: the query of <c>GET /oauth/device</c>.</summary>
    public sealed record DeviceParameters([property: Description("The user code, when the device showed verification_uri_complete: filled in.")] string? UserCode);

    /// <summary>For the OpenAPI document: the code entry form.</summary>
    public sealed record DeviceCodeForm(
        [property: Description("The code the device shows, e.g. WDJB-MJHT (case, spaces and dashes do not matter).")] string UserCode,
        [property: JsonPropertyName("__RequestVerificationToken")] string RequestVerificationToken);

    /// <summary>For the OpenAPI document: the decision form.</summary>
    public sealed record DeviceDecisionForm(
        string UserCode, [property: Description("approve or deny")] string Decision, [property: JsonPropertyName("__RequestVerificationToken")] string RequestVerificationToken);

    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        Page(endpoints.MapGet(SignInPages.DevicePath, (Func<HttpContext, Task>)ShowAsync).WithName("DeviceVerification"), typeof(DeviceParameters),
            "Device verification page (RFC 8628 3.3)",
            "The `verification_uri` of POST /oauth/device_authorization: a browser page where a person signs in (the sign-in cookie and pages of /oauth/authorize) "
            + "and enters the code the device shows; `?user_code=` (`verification_uri_complete`) fills it in.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces<string>(StatusCodes.Status400BadRequest, "text/html");
        Page(endpoints.MapPost(SignInPages.DevicePath, EnterCodeAsync).WithName("DeviceEnterCode").RequireRateLimiting(RateLimits.Credentials), typeof(DeviceCodeForm),
            "Device verification page: enter the code",
            "The code entry form of /oauth/device: the application and its scopes to allow or deny; a wrong, expired or decided code is a 400 page, "
            + "too many wrong codes a 429 page with `Retry-After`.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces<string>(StatusCodes.Status400BadRequest, "text/html")
            .Produces<string>(StatusCodes.Status429TooManyRequests, "text/html");
        Page(endpoints.MapPost(SignInPages.DevicePath + "/login", LoginAsync).WithName("DeviceLogin").RequireRateLimiting(RateLimits.Credentials),
            typeof(AuthorizeEndpoints.AuthorizeLoginForm), "Device verification page: log in",
            "The login form of /oauth/device (the page's own form, with its antiforgery token); signed in, a 303 back to the code entry.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status303SeeOther)
            .Produces<string>(StatusCodes.Status400BadRequest, "text/html").Produces<string>(StatusCodes.Status423Locked, "text/html")
            .Produces<string>(StatusCodes.Status429TooManyRequests, "text/html");
        Page(endpoints.MapPost(SignInPages.DevicePath + "/2fa", SecondFactorAsync).WithName("DeviceSecondFactor").RequireRateLimiting(RateLimits.Credentials),
            typeof(AuthorizeEndpoints.AuthorizeSecondFactorForm), "Device verification page: second factor",
            "The second-factor form of /oauth/device: a TOTP code or a recovery code; signed in, a 303 back to the code entry.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces(StatusCodes.Status303SeeOther)
            .Produces<string>(StatusCodes.Status400BadRequest, "text/html").Produces<string>(StatusCodes.Status423Locked, "text/html")
            .Produces<string>(StatusCodes.Status429TooManyRequests, "text/html");
        Page(endpoints.MapPost(SignInPages.DevicePath + "/decision", DecideAsync).WithName("DeviceDecision").RequireRateLimiting(RateLimits.Credentials),
            typeof(DeviceDecisionForm), "Device verification page: allow or deny",
            "The decision form of /oauth/device: `approve` lets the device's next poll of /oauth/token answer the tokens, `deny` answers it `access_denied`. "
            + "A code is decided once.")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Produces<string>(StatusCodes.Status400BadRequest, "text/html")
            .Produces<string>(StatusCodes.Status429TooManyRequests, "text/html");
        return endpoints;
    }

    /// <summary>A page of the device verification: its tag, its form (or query) and its words in the OpenAPI document.</summary>
    private static RouteHandlerBuilder Page(RouteHandlerBuilder page, Type parameters, string summary, string description) =>
        page.WithTags(Tag).WithMetadata(new ProtocolParametersAttribute(parameters))
            .WithMetadata(new ApiTagAttribute(Tag,
                "The HTML pages of the device authorization grant (RFC 8628 3.3) at the verification URI, posted by the browser with their antiforgery token; not for API clients."))
            .WithSummary(summary).WithDescription(description);

    private static async Task ShowAsync(HttpContext http)
    {
        if (await AuthorizeEndpoints.RefusePlainHttpAsync(http))
        {
            return;
        }

        var userCode = UserCodeOf(http.Request.Query);
        if (await BrowserCookie.ReadAsync(http) is null)
        {
            await AskToSignInAsync(http, userCode, null);
            return;
        }

        await WritePageAsync(http, StatusCodes.Status200OK, SignInPages.DeviceCodeEntry(AuthorizeEndpoints.Antiforgery(http), userCode, null));
    }

    private static async Task EnterCodeAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        if (!await CheckPostAsync(http))
        {
            return;
        }

        var userCode = http.Request.Form["user_code"].ToString();
        var signIn = await BrowserCookie.ReadAsync(http);
        if (signIn is null)
        {
            await AskToSignInAsync(http, userCode, "Your sign-in has ended: sign in again.");
            return;
        }

        var result = await sender.Send(new CheckUserCodeCommand(userCode, signIn), ct);
        if (result.IsFailure)
        {
            await WriteRefusalAsync(http, result.Error!, userCode);
            return;
        }

        var prompt = result.Value!;
        if (prompt.LoginRequired)
        {
            await http.SignOutAsync(BrowserCookie.Scheme);
            await AskToSignInAsync(http, userCode, "Your sign-in has ended: sign in again.");
            return;
        }

        await WritePageAsync(
            http, StatusCodes.Status200OK, SignInPages.DeviceConsent(AuthorizeEndpoints.Antiforgery(http), prompt.UserCode, prompt.ClientName, prompt.Scopes));
    }

    private static async Task DecideAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        if (!await CheckPostAsync(http))
        {
            return;
        }

        var form = http.Request.Form;
        var userCode = form["user_code"].ToString();
        var signIn = await BrowserCookie.ReadAsync(http);
        if (signIn is null)
        {
            await AskToSignInAsync(http, userCode, "Your sign-in has ended: sign in again.");
            return;
        }

        var decision = form["decision"].ToString();
        if (decision is not ("approve" or "deny"))
        {
            await AuthorizeEndpoints.WriteErrorPageAsync(http, "The form was not answered with Allow or Deny.");
            return;
        }

        var result = await sender.Send(new DecideDeviceAuthorizationCommand(userCode, signIn, decision == "approve"), ct);
        if (result.IsFailure)
        {
            await WriteRefusalAsync(http, result.Error!, userCode);
            return;
        }

        if (result.Value == DeviceDecision.LoginRequired)
        {
            await http.SignOutAsync(BrowserCookie.Scheme);
            await AskToSignInAsync(http, userCode, "Your sign-in has ended: sign in again.");
            return;
        }

        await WritePageAsync(http, StatusCodes.Status200OK, SignInPages.DeviceDone(result.Value == DeviceDecision.Approved));
    }

    private static async Task LoginAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        if (!await CheckPostAsync(http))
        {
            return;
        }

        var form = http.Request.Form;
        var email = form["email"].ToString();
        var result = await sender.Send(new LoginCommand(email, form["password"].ToString()), ct);
        if (result.IsFailure)
        {
            await WritePageAsync(
                http,
                AuthorizeEndpoints.StatusFor(result.Error!),
                SignInPages.Login(QueryOf(http), AuthorizeEndpoints.Antiforgery(http), ClientName, AuthorizeEndpoints.MessageFor(result.Error!), email, SignInPages.DevicePath));
            return;
        }

        if (result.Value!.Challenge is { } challenge)
        {
            await WritePageAsync(
                http, StatusCodes.Status200OK, SignInPages.SecondFactor(QueryOf(http), AuthorizeEndpoints.Antiforgery(http), challenge.MfaToken, null, SignInPages.DevicePath));
            return;
        }

        await BrowserCookie.SignInAsync(http, result.Value.Session!);
        BackToTheCodeEntry(http);
    }

    private static async Task SecondFactorAsync(HttpContext http, ISender sender, CancellationToken ct)
    {
        if (!await CheckPostAsync(http))
        {
            return;
        }

        var mfaToken = http.Request.Form["mfa_token"].ToString();
        var result = await sender.Send(AuthorizeEndpoints.SecondFactorCommand(http.Request.Form), ct);
        if (result.IsFailure)
        {
            var error = result.Error!;
            var token = AuthorizeEndpoints.Antiforgery(http);
            var page = error.Code == ErrorCodes.InvalidToken
                ? SignInPages.Login(QueryOf(http), token, ClientName, error.Message, null, SignInPages.DevicePath)
                : SignInPages.SecondFactor(QueryOf(http), token, mfaToken, AuthorizeEndpoints.MessageFor(error), SignInPages.DevicePath);
            await WritePageAsync(http, AuthorizeEndpoints.StatusFor(error), page);
            return;
        }

        await BrowserCookie.SignInAsync(http, result.Value!);
        BackToTheCodeEntry(http);
    }

    private const string ClientName = "connect a device";

    /// <summary>After the login: back to the code entry, the code (when the link carried one) filled in.</summary>
    private static void BackToTheCodeEntry(HttpContext http)
    {
        var userCode = UserCodeOf(http.Request.Query);
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = userCode is null ? SignInPages.DevicePath : QueryHelpers.AddQueryString(SignInPages.DevicePath, "user_code", userCode);
    }

    private static Task AskToSignInAsync(HttpContext http, string? userCode, string? message)
    {
        var query = string.IsNullOrEmpty(userCode) || userCode.Length > 32 ? string.Empty : QueryString.Create("user_code", userCode).Value!;
        return WritePageAsync(http, StatusCodes.Status200OK, SignInPages.Login(query, AuthorizeEndpoints.Antiforgery(http), ClientName, message, null, SignInPages.DevicePath));
    }

    /// <summary>A wrong, expired or throttled code: the entry form again, with why (429 and <c>Retry-After</c> when throttled).</summary>
    private static Task WriteRefusalAsync(HttpContext http, Error error, string userCode)
    {
        var status = StatusCodes.Status400BadRequest;
        if (error.Code == ErrorCodes.RateLimited)
        {
            status = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = error.Fields?.GetValueOrDefault(ClientAuthentication.RetryAfterField)?.FirstOrDefault()
                ?? 1.ToString(CultureInfo.InvariantCulture);
        }

        return WritePageAsync(http, status, SignInPages.DeviceCodeEntry(AuthorizeEndpoints.Antiforgery(http), userCode, AuthorizeEndpoints.MessageFor(error)));
    }

    /// <summary>A form post: HTTPS where required, then antiforgery (400 page when missing or wrong). False when that answer was written.</summary>
    private static async Task<bool> CheckPostAsync(HttpContext http)
    {
        if (await AuthorizeEndpoints.RefusePlainHttpAsync(http))
        {
            return false;
        }

        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            await AuthorizeEndpoints.WriteErrorPageAsync(http, "The form was not sent from this server's page, or the page has expired: open the device link again.");
            return false;
        }

        return true;
    }

    private static string? UserCodeOf(IQueryCollection query) =>
        query.TryGetValue("user_code", out var values) && values.Count == 1 && values[0] is { Length: > 0 and <= 32 } code ? code : null;

    private static string QueryOf(HttpContext http) => http.Request.QueryString.Value ?? string.Empty;

    private static Task WritePageAsync(HttpContext http, int status, string html)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(html);
    }
}
