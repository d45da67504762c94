// Longer than 150 lines because each of its eight operations carries the attributes that describe it in the OpenAPI document (ADR 0016); each action is a few lines.
using System.ComponentModel;
using AuthPlatform.Application.Auth.ChangePassword;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.GetMe;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Auth.Logout;
using AuthPlatform.Application.Auth.Refresh;
using AuthPlatform.Application.Auth.Register;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Controllers;

public sealed record RegisterRequest(string? Email, string? Password, string? Name);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record LoginSecondFactorRequest(string? MfaToken, string? Code, string? RecoveryCode);

public sealed record RefreshRequest(
    [property: Description("The refresh token. Leave it out (or send no body) to use the dashboard's refresh cookie instead; when both are there, this one is used.")]
    string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Accounts and sessions (SPEC section 2).</summary>
[ApiController]
[ApiTag("Auth", "Accounts and sessions: register, log in (with the second factor), refresh, log out, who am I, change the password, and the gateway's credential check.")]
[Route("api/v1/auth")]
[Produces("application/json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
public sealed class AuthController(ISender sender, RefreshTokenCookie refreshCookie) : ControllerBase
{
    [EndpointSummary("Register an account")]
    [EndpointDescription("Creates a user with an e-mail address, a password (checked for length and strength) and a display name.")]
    [HttpPost("register", Name = "Register")]
    [RequestExample(@"{""email"": ""ada@example.com"", ""password"": ""correct horse battery staple"", ""name"": ""Ada Lovelace""}")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Register(RegisterRequest request, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new RegisterCommand(request.Email ?? "", request.Password ?? "", request.Name ?? ""), ct),
            user => StatusCode(StatusCodes.Status201Created, user));

    [EndpointSummary("Log in with e-mail and password")]
    [EndpointDescription("Answers the session (access and refresh tokens) or, when the account has 2FA on, a challenge whose `mfa_token` goes to `POST /api/v1/auth/login/2fa`. Repeated failures lock the account (423).")]
    [HttpPost("login", Name = "Login")]
    [RequestExample(@"{""email"": ""ada@example.com"", ""password"": ""correct horse battery staple""}")]
    [RequestHeader(RefreshTokenCookie.TransportHeader, RefreshTokenCookie.TransportDescription + " A 2FA challenge sets no cookie: `POST /api/v1/auth/login/2fa` does, when it carries this header too.", RefreshTokenCookie.CookieTransport)]
    [NoStore]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<LoginAnswer>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Login(LoginRequest request, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new LoginCommand(request.Email ?? "", request.Password ?? ""), ct),
            login => Ok(LoginAnswer.Of(login, login.Session is { } session && refreshCookie.Deliver(HttpContext, session.RefreshToken))));

    /// <summary>The second step of a login with 2FA on: the <c>mfa_token</c> and a TOTP code or a recovery code.</summary>
    [EndpointSummary("Complete a login with the second factor")]
    [EndpointDescription("The `mfa_token` of the login's challenge and a TOTP `code` or a `recovery_code`; answers the session.")]
    [HttpPost("login/2fa", Name = "LoginSecondFactor")]
    [RequestExample(@"{""mfa_token"": ""the mfa_token of the login answer"", ""code"": ""123456""}")]
    [RequestHeader(RefreshTokenCookie.TransportHeader, RefreshTokenCookie.TransportDescription, RefreshTokenCookie.CookieTransport)]
    [NoStore]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<SessionAnswer>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> LoginSecondFactor(LoginSecondFactorRequest request, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new LoginWithSecondFactorCommand(request.MfaToken ?? "", request.Code, request.RecoveryCode), ct),
            session => Ok(SessionAnswer.Of(session, refreshCookie.Deliver(HttpContext, session.RefreshToken))));

    [EndpointSummary("Refresh the session")]
    [EndpointDescription("Trades a refresh token for a new token pair (rotation); a refresh token used twice ends its whole session (401 `refresh_token_reused`). "
        + "The token is the body's `refresh_token`; with none in the body (`{}` or no body at all), the dashboard's HttpOnly refresh cookie, which needs "
        + "`X-AuthPlatform-CSRF: 1` and a same-origin request (else 403 `csrf_check_failed`, the cookie untouched); the new refresh token then goes into "
        + "the cookie, not the answer, and a refusal clears the cookie. A body token wins over the cookie. With neither: 400 `validation_failed`.")]
    [HttpPost("refresh", Name = "Refresh")]
    [RequestExample(@"{""refresh_token"": ""the refresh_token of the login answer""}")]
    [RequestHeader(RefreshTokenCookie.TransportHeader, RefreshTokenCookie.TransportDescription + " Here it moves a session whose refresh token is in the body into the cookie.", RefreshTokenCookie.CookieTransport)]
    [RequestHeader(RefreshTokenCookie.CsrfHeader, RefreshTokenCookie.CsrfDescription, RefreshTokenCookie.CsrfHeaderValue)]
    [NoStore]
    [AllowAnonymous]
    [ProducesResponseType<RefreshAnswer>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ErrorCodes(StatusCodes.Status403Forbidden, ErrorCodes.CsrfCheckFailed)]
    public async Task<IActionResult> Refresh([FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RefreshRequest? request, CancellationToken ct)
    {
        var presented = refreshCookie.Read(Request, request?.RefreshToken);
        if (presented.IsFailure)
        {
            return new ProblemResult(presented.Error!);
        }

        var inCookie = presented.Value.FromCookie;
        var result = await sender.Send(new RefreshCommand(presented.Value.Token), ct);
        if (result.IsFailure && inCookie)
        {
            refreshCookie.Clear(Response);
        }

        return this.ToActionResult(result, pair => Ok(RefreshAnswer.Of(pair, refreshCookie.Deliver(HttpContext, pair.RefreshToken, inCookie))));
    }

    [EndpointSummary("Log out")]
    [EndpointDescription("Ends the session of the refresh token; its access tokens stop at once. Answers 204 whether or not the token was known. "
        + "The token is the body's `refresh_token`, or with none in the body the dashboard's refresh cookie (with `X-AuthPlatform-CSRF: 1`, same-origin; "
        + "else 403 `csrf_check_failed`), which the answer then clears. A body token wins over the cookie.")]
    [HttpPost("logout", Name = "Logout")]
    [RequestExample(@"{""refresh_token"": ""the refresh_token of the login answer""}")]
    [RequestHeader(RefreshTokenCookie.CsrfHeader, RefreshTokenCookie.CsrfDescription, RefreshTokenCookie.CsrfHeaderValue)]
    [AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ErrorCodes(StatusCodes.Status403Forbidden, ErrorCodes.CsrfCheckFailed)]
    public async Task<IActionResult> Logout([FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RefreshRequest? request, CancellationToken ct)
    {
        var presented = refreshCookie.Read(Request, request?.RefreshToken);
        if (presented.IsFailure)
        {
            return new ProblemResult(presented.Error!);
        }

        if (presented.Value.FromCookie)
        {
            refreshCookie.Clear(Response);
        }

        return this.ToNoContent(await sender.Send(new LogoutCommand(presented.Value.Token), ct));
    }

    [EndpointSummary("Who am I")]
    [EndpointDescription("The caller's account, and how the caller is authenticated (session, API key, or an app's token and its scopes).")]
    [HttpGet("me", Name = "GetMe")]
    [RequireScope(Scopes.Profile)]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> Me(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetMeQuery(HttpContext.Caller()), ct));

    [EndpointSummary("Change my password")]
    [EndpointDescription("Needs the current password; every other session ends. Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost("password", Name = "ChangePassword")]
    [RequestExample(@"{""current_password"": ""correct horse battery staple"", ""new_password"": ""another long passphrase here""}")]
    [RequireScope(Scopes.Profile)]
    [RequireSession]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> ChangePassword(ChangePasswordRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new ChangePasswordCommand(HttpContext.Caller(), request.CurrentPassword ?? "", request.NewPassword ?? "", stepUpCode), ct));
}
