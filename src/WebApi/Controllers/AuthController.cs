using System.ComponentModel;
using AuthPlatform.Application.Auth.ChangePassword;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.GetMe;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Auth.Logout;
using AuthPlatform.Application.Auth.Refresh;
using AuthPlatform.Application.Auth.Register;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Controllers;

public sealed record RegisterRequest(string? Email, string? Password, string? Name);

public sealed record LoginRequest(string? Email, string? Password);

/// <summary>
/// The answer of <c>POST /login</c> on the wire (SPEC section 2), from the use case's <see cref="LoginResponse"/>: one object for both outcomes, told apart by
/// <c>mfa_required</c>, so that every client generator reads it (a oneOf of the session and the challenge
/// has nothing a generator can discriminate on: ADR 0016).
/// </summary>
[Description("The login's answer. `mfa_required` false: the session (`token`, `refresh_token`, `token_type`, `expires_in`, `expires_at`, `user`). "
    + "`mfa_required` true: the 2FA challenge (`mfa_token`, `expires_in`), whose `mfa_token` goes to `POST /api/v1/auth/login/2fa` with a code; no token is issued yet.")]
public sealed record LoginAnswer(
    [property: Description("True: the account has 2FA on and this is the challenge; false: this is the session.")] bool MfaRequired,
    [property: Description("The challenge only: the short-lived token for `POST /api/v1/auth/login/2fa`.")] string? MfaToken,
    [property: Description("The session only: the access token (a JWT).")] string? Token,
    [property: Description("The session only: the refresh token.")] string? RefreshToken,
    [property: Description("The session only: `Bearer`.")] string? TokenType,
    [property: Description("Seconds until the access token (session) or the `mfa_token` (challenge) expires.")] int ExpiresIn,
    [property: Description("The session only: when the access token expires.")] DateTimeOffset? ExpiresAt,
    [property: Description("The session only: the signed-in account.")] SessionUser? User)
{
    public static LoginAnswer Of(LoginResponse login) => login.Challenge is { } challenge
        ? new(true, challenge.MfaToken, null, null, null, challenge.ExpiresIn, null, null)
        : new(false, null, login.Session!.Token, login.Session.RefreshToken, login.Session.TokenType, login.Session.ExpiresIn, login.Session.ExpiresAt, login.Session.User);
}

public sealed record LoginSecondFactorRequest(string? MfaToken, string? Code, string? RecoveryCode);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Accounts and sessions (SPEC section 2).</summary>
[ApiController]
[ApiTag("Auth", "Accounts and sessions: register, log in (with the second factor), refresh, log out, who am I, change the password, and the gateway's credential check.")]
[Route("api/v1/auth")]
[Produces("application/json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
public sealed class AuthController(ISender sender) : ControllerBase
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
            login => Ok(LoginAnswer.Of(login)));

    /// <summary>The second step of a login with 2FA on: the <c>mfa_token</c> and a TOTP code or a recovery code.</summary>
    [EndpointSummary("Complete a login with the second factor")]
    [EndpointDescription("The `mfa_token` of the login's challenge and a TOTP `code` or a `recovery_code`; answers the session.")]
    [HttpPost("login/2fa", Name = "LoginSecondFactor")]
    [RequestExample(@"{""mfa_token"": ""the mfa_token of the login answer"", ""code"": ""123456""}")]
    [NoStore]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<SessionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> LoginSecondFactor(LoginSecondFactorRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new LoginWithSecondFactorCommand(request.MfaToken ?? "", request.Code, request.RecoveryCode), ct));

    [EndpointSummary("Refresh the session")]
    [EndpointDescription("Trades a refresh token for a new token pair (rotation); a refresh token used twice ends its whole session (401 `refresh_token_reused`).")]
    [HttpPost("refresh", Name = "Refresh")]
    [RequestExample(@"{""refresh_token"": ""the refresh_token of the login answer""}")]
    [NoStore]
    [AllowAnonymous]
    [ProducesResponseType<TokenPair>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<IActionResult> Refresh(RefreshRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RefreshCommand(request.RefreshToken ?? ""), ct));

    [EndpointSummary("Log out")]
    [EndpointDescription("Ends the session of the refresh token; its access tokens stop at once. Answers 204 whether or not the token was known.")]
    [HttpPost("logout", Name = "Logout")]
    [RequestExample(@"{""refresh_token"": ""the refresh_token of the login answer""}")]
    [AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Logout(RefreshRequest request, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new LogoutCommand(request.RefreshToken ?? ""), ct));

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
