using AuthPlatform.Application.Admin.RotateSigningKey;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>Operations for administrators.</summary>
[ApiController]
[Route("api/v1/admin")]
[Produces("application/json")]
[RequireScope(Scopes.Admin)]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class AdminController(ISender sender) : ControllerBase
{
    /// <summary>Starts a signing-key rotation: the new key is published now and signs after <c>Jwt:KeyActivationDelay</c>.</summary>
    [HttpPost("signing-keys/rotate", Name = "RotateSigningKey")]
    [ProducesResponseType<RotateSigningKeyResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> RotateSigningKey(CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new RotateSigningKeyCommand(HttpContext.CallerUserId()), ct),
            key => StatusCode(StatusCodes.Status201Created, key));
}
