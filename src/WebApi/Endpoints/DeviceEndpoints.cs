// Longer than 150 lines because the device verification's steps (code entry, login, second factor, decision) share their checks, their cookie and their answers here.
using System.Globalization;
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
    public static IEndpointRouteBuilder MapDeviceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SignInPages.DevicePath, ShowAsync).ExcludeFromDescription();
        endpoints.MapPost(SignInPages.DevicePath, EnterCodeAsync).ExcludeFromDescription().RequireRateLimiting(RateLimits.Credentials);
        endpoints.MapPost(SignInPages.DevicePath + "/login", LoginAsync).ExcludeFromDescription().RequireRateLimiting(RateLimits.Credentials);
        endpoints.MapPost(SignInPages.DevicePath + "/2fa", SecondFactorAsync).ExcludeFromDescription().RequireRateLimiting(RateLimits.Credentials);
        endpoints.MapPost(SignInPages.DevicePath + "/decision", DecideAsync).ExcludeFromDescription().RequireRateLimiting(RateLimits.Credentials);
        return endpoints;
    }

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

        var form = http.Request.Form;
        var mfaToken = form["mfa_token"].ToString();
        var code = form["code"].ToString().Trim();
        var isTotp = code.Length == 6 && code.All(char.IsAsciiDigit);
        var result = await sender.Send(new LoginWithSecondFactorCommand(mfaToken, isTotp ? code : null, isTotp ? null : code), ct);
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
