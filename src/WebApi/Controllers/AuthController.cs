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

public sealed record LoginSecondFactorRequest(string? MfaToken, string? Code, string? RecoveryCode);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Accounts and sessions (SPEC section 2).</summary>
[ApiController]
[Route("api/v1/auth")]
[Produces("application/json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
public sealed class AuthController(ISender sender) : ControllerBase
{

    [HttpPost("register", Name = "Register")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<UserResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Register(RegisterRequest request, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new RegisterCommand(request.Email ?? "", request.Password ?? "", request.Name ?? ""), ct),
            user => StatusCode(StatusCodes.Status201Created, user));

    [HttpPost("login", Name = "Login")]
    [NoStore]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<SessionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<MfaChallenge>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Login(LoginRequest request, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new LoginCommand(request.Email ?? "", request.Password ?? ""), ct),
            login => login.Session is not null ? Ok(login.Session) : Ok(login.Challenge));

    /// <summary>The second step of a login with 2FA on: the <c>mfa_token</c> and a TOTP code or a recovery code.</summary>
    [HttpPost("login/2fa", Name = "LoginSecondFactor")]
    [NoStore]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<SessionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> LoginSecondFactor(LoginSecondFactorRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new LoginWithSecondFactorCommand(request.MfaToken ?? "", request.Code, request.RecoveryCode), ct));

    [HttpPost("refresh", Name = "Refresh")]
    [NoStore]
    [AllowAnonymous]
    [ProducesResponseType<TokenPair>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    public async Task<IActionResult> Refresh(RefreshRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RefreshCommand(request.RefreshToken ?? ""), ct));

    [HttpPost("logout", Name = "Logout")]
    [AllowAnonymous]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Logout(RefreshRequest request, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new LogoutCommand(request.RefreshToken ?? ""), ct));

    [HttpGet("me", Name = "GetMe")]
    [RequireScope(Scopes.Profile)]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> Me(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetMeQuery(HttpContext.Caller()), ct));

    [HttpPost("password", Name = "ChangePassword")]
    [RequireScope(Scopes.Profile)]
    [RequireSession]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
    public async Task<IActionResult> ChangePassword(ChangePasswordRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new ChangePasswordCommand(HttpContext.Caller(), request.CurrentPassword ?? "", request.NewPassword ?? "", stepUpCode), ct));
}
