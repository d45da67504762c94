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
[ApiTag("Admin", "Operations for administrators (scope `admin`): signing-key rotation and every user's API keys.")]
[Route("api/v1/admin")]
[Produces("application/json")]
[RequireLiveSession]
[RequireScope(Scopes.Admin)]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class AdminController(ISender sender) : ControllerBase
{
    /// <summary>Starts a signing-key rotation: the new key is published now and signs after <c>Jwt:KeyActivationDelay</c>.</summary>
    [EndpointSummary("Rotate the signing key")]
    [EndpointDescription("Creates a new token-signing key: published in the JWKS at once, signing after `Jwt:KeyActivationDelay`; the old key stays published until its tokens expire.")]
    [HttpPost("signing-keys/rotate", Name = "RotateSigningKey")]
    [ProducesResponseType<RotateSigningKeyResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> RotateSigningKey(CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new RotateSigningKeyCommand(HttpContext.CallerUserId()), ct),
            key => StatusCode(StatusCodes.Status201Created, key));

    /// <summary>Every user's API keys, or one user's with <c>user_id</c>.</summary>
    [EndpointSummary("List every user's API keys")]
    [EndpointDescription("Every API key of every user, or one user's with `user_id`. Never the secrets.")]
    [HttpGet("api-keys", Name = "AdminListApiKeys")]
    [ProducesResponseType<IReadOnlyList<ApiKeyResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> ListApiKeys([FromQuery(Name = "user_id")] Guid? userId, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListApiKeysQuery(userId), ct));

    [EndpointSummary("Revoke any user's API key")]
    [EndpointDescription("The key stops at once on every node; the answer is the revoked key.")]
    [HttpPost("api-keys/{id:guid}/revoke", Name = "AdminRevokeApiKey")]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> RevokeApiKey(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RevokeApiKeyCommand(KeyScope.Administrator(HttpContext.CallerUserId()), id), ct));
}
