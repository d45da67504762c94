using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.CreateApiKey;
using AuthPlatform.Application.ApiKeys.DeleteApiKey;
using AuthPlatform.Application.ApiKeys.GetApiKey;
using AuthPlatform.Application.ApiKeys.ListApiKeys;
using AuthPlatform.Application.ApiKeys.RevokeApiKey;
using AuthPlatform.Application.ApiKeys.RotateApiKey;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Controllers;

public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Permissions, DateTimeOffset? ExpiresAt);

/// <summary>The caller's API keys (SPEC section 3).</summary>
[ApiController]
[Route("api/v1/auth/api-keys")]
[Produces("application/json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ApiKeysController(ISender sender) : ControllerBase
{
    [HttpPost(Name = "CreateApiKey")]
    [NoStore]
    [RequireScope(Scopes.ApiKeysWrite)]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<ApiKeyCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Create(CreateApiKeyRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new CreateApiKeyCommand(HttpContext.Caller(), request.Name ?? "", request.Permissions ?? [], request.ExpiresAt, stepUpCode), ct),
            key => StatusCode(StatusCodes.Status201Created, key));

    [HttpGet(Name = "ListApiKeys")]
    [RequireScope(Scopes.ApiKeysRead)]
    [ProducesResponseType<IReadOnlyList<ApiKeyResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListApiKeysQuery(HttpContext.CallerUserId()), ct));

    [HttpGet("{id:guid}", Name = "GetApiKey")]
    [RequireScope(Scopes.ApiKeysRead)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetApiKeyQuery(KeyScope.Own(HttpContext.CallerUserId()), id), ct));

    [HttpPost("{id:guid}/revoke", Name = "RevokeApiKey")]
    [RequireScope(Scopes.ApiKeysWrite)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RevokeApiKeyCommand(KeyScope.Own(HttpContext.CallerUserId(), HttpContext.Caller().Scopes), id), ct));

    [HttpPost("{id:guid}/rotate", Name = "RotateApiKey")]
    [NoStore]
    [EnableRateLimiting(RateLimits.Credentials)]
    [RequireScope(Scopes.ApiKeysWrite)]
    [ProducesResponseType<ApiKeyCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Rotate(Guid id, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new RotateApiKeyCommand(HttpContext.Caller(), id, stepUpCode), ct),
            key => StatusCode(StatusCodes.Status201Created, key));

    [HttpDelete("{id:guid}", Name = "DeleteApiKey")]
    [RequireScope(Scopes.ApiKeysWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DeleteApiKeyCommand(KeyScope.Own(HttpContext.CallerUserId(), HttpContext.Caller().Scopes), id), ct));
}
