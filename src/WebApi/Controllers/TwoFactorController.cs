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

public sealed record TwoFactorFactorRequest(string? Code, string? RecoveryCode);

/// <summary>TOTP two-factor authentication, enrolled by QR code (SPEC section 7).</summary>
[ApiController]
[Route("api/v1/auth/2fa")]
[Produces("application/json")]
[RequireScope(Scopes.Profile)]
[RequireSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class TwoFactorController(ISender sender) : ControllerBase
{
    [HttpGet(Name = "GetTwoFactorStatus")]
    [ProducesResponseType<TwoFactorStatusResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Status(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetTwoFactorStatusQuery(HttpContext.CallerUserId()), ct));

    [HttpPost("setup", Name = "SetupTwoFactor")]
    [NoStore]
    [ProducesResponseType<TwoFactorSetupResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Setup(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new SetupTwoFactorCommand(HttpContext.CallerUserId()), ct));

    [HttpGet("qr.png", Name = "GetTwoFactorQrCode")]
    [NoStore]
    [Produces("image/png")]
    [ProducesResponseType(typeof(byte[]), StatusCodes.Status200OK, "image/png")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> QrCode(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetTwoFactorQrCodeQuery(HttpContext.CallerUserId()), ct), png => File(png, "image/png"));

    [HttpPost("enable", Name = "EnableTwoFactor")]
    [NoStore]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<RecoveryCodesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Enable(TwoFactorCodeRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new EnableTwoFactorCommand(HttpContext.CallerUserId(), request.Code), ct));

    [HttpPost("disable", Name = "DisableTwoFactor")]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Disable(TwoFactorFactorRequest request, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DisableTwoFactorCommand(HttpContext.CallerUserId(), request.Code, request.RecoveryCode), ct));

    [HttpPost("recovery-codes", Name = "RegenerateRecoveryCodes")]
    [NoStore]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<RecoveryCodesResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> RegenerateRecoveryCodes(TwoFactorCodeRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RegenerateRecoveryCodesCommand(HttpContext.CallerUserId(), request.Code), ct));
}
