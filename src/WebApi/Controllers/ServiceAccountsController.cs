using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ServiceAccounts.AddServiceAccountSecret;
using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Application.ServiceAccounts.CreateServiceAccount;
using AuthPlatform.Application.ServiceAccounts.CreateServiceAccountApiKey;
using AuthPlatform.Application.ServiceAccounts.DeleteServiceAccount;
using AuthPlatform.Application.ServiceAccounts.DeleteServiceAccountSecret;
using AuthPlatform.Application.ServiceAccounts.GetServiceAccount;
using AuthPlatform.Application.ServiceAccounts.ListServiceAccountApiKeys;
using AuthPlatform.Application.ServiceAccounts.ListServiceAccounts;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Controllers;

public sealed record CreateServiceAccountRequest(string? Name, string? Description, IReadOnlyList<string>? Scopes, DateTimeOffset? SecretExpiresAt);

public sealed record AddServiceAccountSecretRequest(DateTimeOffset? ExpiresAt);

/// <summary>
/// Service accounts (SPEC section 5): the caller's own (an administrator's: everyone's). Like the
/// API keys, a live session or a user's API key is needed; a service account manages none.
/// </summary>
[ApiController]
[ApiTag("Service accounts", "Machine identities: their client secrets (for the client-credentials grant) and API keys.")]
[Route("api/v1/service-accounts")]
[Produces("application/json")]
[RequireLiveSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class ServiceAccountsController(ISender sender) : ControllerBase
{
    [EndpointSummary("Create a service account")]
    [EndpointDescription("A machine identity with scopes and a first client secret (in this answer only). Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost(Name = "CreateServiceAccount")]
    [RequestExample(@"{""name"": ""billing-worker"", ""description"": ""Nightly billing run"", ""scopes"": [""api_keys:read""]}")]
    [NoStore]
    [RequireScope(Scopes.ServiceAccountsWrite)]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<ServiceAccountCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Create(CreateServiceAccountRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new CreateServiceAccountCommand(
                HttpContext.Caller(), request.Name ?? "", request.Description, request.Scopes ?? [], request.SecretExpiresAt, stepUpCode), ct),
            account => StatusCode(StatusCodes.Status201Created, account));

    [EndpointSummary("List service accounts")]
    [EndpointDescription("The caller's service accounts; an administrator's: everyone's.")]
    [HttpGet(Name = "ListServiceAccounts")]
    [RequireScope(Scopes.ServiceAccountsRead)]
    [ProducesResponseType<IReadOnlyList<ServiceAccountResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListServiceAccountsQuery(HttpContext.Caller()), ct));

    [EndpointSummary("Get a service account")]
    [EndpointDescription("One service account with its secrets' metadata (never the secrets).")]
    [HttpGet("{id:guid}", Name = "GetServiceAccount")]
    [RequireScope(Scopes.ServiceAccountsRead)]
    [ProducesResponseType<ServiceAccountResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetServiceAccountQuery(HttpContext.Caller(), id), ct));

    [EndpointSummary("Delete a service account")]
    [EndpointDescription("Its secrets, tokens and API keys stop at once.")]
    [HttpDelete("{id:guid}", Name = "DeleteServiceAccount")]
    [RequireScope(Scopes.ServiceAccountsWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DeleteServiceAccountCommand(HttpContext.Caller(), id), ct));

    [EndpointSummary("Add a service-account secret")]
    [EndpointDescription("A further client secret (in this answer only), e.g. to rotate without downtime. Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost("{id:guid}/secrets", Name = "AddServiceAccountSecret")]
    [NoStore]
    [RequireScope(Scopes.ServiceAccountsWrite)]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<ClientSecretCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> AddSecret(
        Guid id, [FromBody] AddServiceAccountSecretRequest? request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new AddServiceAccountSecretCommand(HttpContext.Caller(), id, request?.ExpiresAt, stepUpCode), ct),
            secret => StatusCode(StatusCodes.Status201Created, secret));

    [EndpointSummary("Delete a service-account secret")]
    [EndpointDescription("The secret stops at once; the last secret cannot be deleted (409 `conflict`).")]
    [HttpDelete("{id:guid}/secrets/{secretId:guid}", Name = "DeleteServiceAccountSecret")]
    [RequireScope(Scopes.ServiceAccountsWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> DeleteSecret(Guid id, Guid secretId, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DeleteServiceAccountSecretCommand(HttpContext.Caller(), id, secretId), ct));

    [EndpointSummary("List a service account's API keys")]
    [EndpointDescription("Without their secrets.")]
    [HttpGet("{id:guid}/api-keys", Name = "ListServiceAccountApiKeys")]
    [RequireScope(Scopes.ServiceAccountsRead)]
    [ProducesResponseType<IReadOnlyList<ApiKeyResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ListApiKeys(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListServiceAccountApiKeysQuery(HttpContext.Caller(), id), ct));

    [EndpointSummary("Create an API key for a service account")]
    [EndpointDescription("Permissions within the service account's scopes; the secret is in this answer only. Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost("{id:guid}/api-keys", Name = "CreateServiceAccountApiKey")]
    [NoStore]
    [RequireScope(Scopes.ServiceAccountsWrite)]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<ApiKeyCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> CreateApiKey(
        Guid id, CreateApiKeyRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new CreateServiceAccountApiKeyCommand(
                HttpContext.Caller(), id, request.Name ?? "", request.Permissions ?? [], request.ExpiresAt, stepUpCode), ct),
            key => StatusCode(StatusCodes.Status201Created, key));
}
