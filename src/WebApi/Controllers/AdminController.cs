using AuthPlatform.Application.Admin.RotateSigningKey;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.ListApiKeys;
using AuthPlatform.Application.ApiKeys.RevokeApiKey;
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

    /// <summary>Every user's API keys, or one user's with <c>user_id</c>.</summary>
    [HttpGet("api-keys", Name = "AdminListApiKeys")]
    [ProducesResponseType<IReadOnlyList<ApiKeyResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> ListApiKeys([FromQuery(Name = "user_id")] Guid? userId, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListApiKeysQuery(userId), ct));

    [HttpPost("api-keys/{id:guid}/revoke", Name = "AdminRevokeApiKey")]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RevokeApiKey(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RevokeApiKeyCommand(KeyScope.Administrator(HttpContext.CallerUserId()), id), ct));
}
