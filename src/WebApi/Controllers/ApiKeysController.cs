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
[ApiTag("API keys", "The caller's API keys: create, list, rotate, revoke, delete. A key is shown once, at creation or rotation.")]
[Route("api/v1/auth/api-keys")]
[Produces("application/json")]
[RequireLiveSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ApiKeysController(ISender sender) : ControllerBase
{
    [EndpointSummary("Create an API key")]
    [EndpointDescription("Issues a key with the given permissions (a subset of the caller's scopes) and optional expiry. The secret is in this answer only. Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost(Name = "CreateApiKey")]
    [RequestExample(@"{""name"": ""ci deploy"", ""permissions"": [""api_keys:read""], ""expires_at"": ""2027-01-01T00:00:00Z""}")]
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

    [EndpointSummary("List my API keys")]
    [EndpointDescription("The caller's keys, newest first, without their secrets.")]
    [HttpGet(Name = "ListApiKeys")]
    [RequireScope(Scopes.ApiKeysRead)]
    [ProducesResponseType<IReadOnlyList<ApiKeyResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListApiKeysQuery(HttpContext.CallerUserId()), ct));

    [EndpointSummary("Get one of my API keys")]
    [EndpointDescription("One of the caller's keys, without its secret.")]
    [HttpGet("{id:guid}", Name = "GetApiKey")]
    [RequireScope(Scopes.ApiKeysRead)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetApiKeyQuery(KeyScope.Own(HttpContext.CallerUserId()), id), ct));

    [EndpointSummary("Revoke one of my API keys")]
    [EndpointDescription("The key stops at once; it stays listed as revoked.")]
    [HttpPost("{id:guid}/revoke", Name = "RevokeApiKey")]
    [RequireScope(Scopes.ApiKeysWrite)]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new RevokeApiKeyCommand(KeyScope.Own(HttpContext.CallerUserId(), HttpContext.Caller().Scopes), id), ct));

    [EndpointSummary("Rotate one of my API keys")]
    [EndpointDescription("Issues a replacement with the same name and permissions and revokes the old key; the new secret is in this answer only. Step-up (`X-2FA-Code`) when 2FA is on.")]
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

    [EndpointSummary("Delete one of my API keys")]
    [EndpointDescription("Revokes the key and removes it from the list.")]
    [HttpDelete("{id:guid}", Name = "DeleteApiKey")]
    [RequireScope(Scopes.ApiKeysWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DeleteApiKeyCommand(KeyScope.Own(HttpContext.CallerUserId(), HttpContext.Caller().Scopes), id), ct));
}
