using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.TwoFactor.DisableTwoFactor;
using AuthPlatform.Application.TwoFactor.EnableTwoFactor;
using AuthPlatform.Application.TwoFactor.GetTwoFactorQrCode;
using AuthPlatform.Application.TwoFactor.GetTwoFactorStatus;
using AuthPlatform.Application.TwoFactor.RegenerateRecoveryCodes;
using AuthPlatform.Application.TwoFactor.SetupTwoFactor;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Controllers;

public sealed record TwoFactorCodeRequest(string? Code);

public sealed record TwoFactorSetupRequest(string? CurrentPassword);

public sealed record TwoFactorEnableRequest(string? Code, string? CurrentPassword);

public sealed record TwoFactorFactorRequest(string? Code, string? RecoveryCode);

/// <summary>TOTP two-factor authentication, enrolled by QR code (SPEC section 7).</summary>
[ApiController]
[ApiTag("Two-factor", "TOTP two-factor authentication, enrolled by QR code, with recovery codes. A signed-in session only, never an API key.")]
[Route("api/v1/auth/2fa")]
[Produces("application/json")]
[RequireScope(Scopes.Profile)]
[RequireSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class TwoFactorController(ISender sender) : ControllerBase
{
    [EndpointSummary("Two-factor status")]
    [EndpointDescription("Whether 2FA is on, pending enrolment, and how many recovery codes are left.")]
    [HttpGet(Name = "GetTwoFactorStatus")]
    [ProducesResponseType<TwoFactorStatusResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Status(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetTwoFactorStatusQuery(HttpContext.CallerUserId()), ct));

    /// <summary>Starts enrolment; needs the current password.</summary>
    [EndpointSummary("Start 2FA enrolment")]
    [EndpointDescription("Needs the current password; answers the TOTP secret and `otpauth://` URI (the QR code is at `qr.png`).")]
    [HttpPost("setup", Name = "SetupTwoFactor")]
    [RequestExample(@"{""current_password"": ""correct horse battery staple""}")]
    [NoStore]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<TwoFactorSetupResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    public async Task<IActionResult> Setup(TwoFactorSetupRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new SetupTwoFactorCommand(HttpContext.CallerUserId(), request.CurrentPassword ?? ""), ct));

    [EndpointSummary("2FA enrolment QR code")]
    [EndpointDescription("A PNG of the pending enrolment's `otpauth://` URI; 404 when no enrolment is pending.")]
    [HttpGet("qr.png", Name = "GetTwoFactorQrCode")]
    [NoStore]
    [Produces("image/png")]
    [ProducesResponseType(typeof(byte[]), StatusCodes.Status200OK, "image/png")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> QrCode(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetTwoFactorQrCodeQuery(HttpContext.CallerUserId()), ct), png => File(png, "image/png"));

    /// <summary>Turns 2FA on with a code and the current password; other sessions end and every access token is renewed by refreshing.</summary>
    [EndpointSummary("Turn 2FA on")]
    [EndpointDescription("A current code and the current password; answers the recovery codes (shown once). Other sessions end and every access token is renewed by refreshing.")]
    [HttpPost("enable", Name = "EnableTwoFactor")]
    [RequestExample(@"{""code"": ""123456"", ""current_password"": ""correct horse battery staple""}")]
    [NoStore]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<RecoveryCodesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    public async Task<IActionResult> Enable(TwoFactorEnableRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new EnableTwoFactorCommand(HttpContext.Caller(), request.Code, request.CurrentPassword ?? ""), ct));

    [EndpointSummary("Turn 2FA off")]
    [EndpointDescription("Needs a current code or a recovery code.")]
    [HttpPost("disable", Name = "DisableTwoFactor")]
    [RequestExample(@"{""code"": ""123456""}")]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    public async Task<IActionResult> Disable(TwoFactorFactorRequest request, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DisableTwoFactorCommand(HttpContext.Caller(), request.Code, request.RecoveryCode), ct));

    [EndpointSummary("New recovery codes")]
    [EndpointDescription("Needs a current code; the old recovery codes stop working. The new ones are shown once.")]
    [HttpPost("recovery-codes", Name = "RegenerateRecoveryCodes")]
    [RequestExample(@"{""code"": ""123456""}")]
    [NoStore]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<RecoveryCodesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status423Locked, "application/problem+json")]
    public async Task<IActionResult> RegenerateRecoveryCodes(TwoFactorCodeRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RegenerateRecoveryCodesCommand(HttpContext.CallerUserId(), request.Code), ct));
}
