using AuthPlatform.Application.OAuth.Clients.Common;
using AuthPlatform.Application.OAuth.Clients.CreateClient;
using AuthPlatform.Application.OAuth.Clients.DeleteClient;
using AuthPlatform.Application.OAuth.Clients.GetClient;
using AuthPlatform.Application.OAuth.Clients.ListClients;
using AuthPlatform.Application.OAuth.Clients.RotateClientSecret;
using AuthPlatform.Application.OAuth.Clients.UpdateClient;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;

namespace AuthPlatform.WebApi.Controllers;

public sealed record CreateOAuthClientRequest(
    string? Name,
    string? Type,
    IReadOnlyList<string>? RedirectUris,
    IReadOnlyList<string>? PostLogoutRedirectUris,
    IReadOnlyList<string>? GrantTypes,
    IReadOnlyList<string>? Scopes,
    bool? RequireConsent,
    bool? FirstParty);

public sealed record UpdateOAuthClientRequest(
    string? Name,
    IReadOnlyList<string>? RedirectUris,
    IReadOnlyList<string>? PostLogoutRedirectUris,
    IReadOnlyList<string>? GrantTypes,
    IReadOnlyList<string>? Scopes,
    bool? RequireConsent,
    bool? FirstParty);

public sealed record RotateClientSecretRequest(int? PreviousSecretExpiresIn);

/// <summary>The OAuth client registry (SPEC section 6): the caller's clients; an administrator's reach is every client.</summary>
[ApiController]
[ApiTag("OAuth clients", "The OAuth client registry: the caller's clients (an administrator's: every client), their redirect URIs, grant types, scopes and secrets.")]
[Route("api/v1/oauth/clients")]
[Produces("application/json")]
[RequireLiveSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class OAuthClientsController(ISender sender) : ControllerBase
{
    [EndpointSummary("Register an OAuth client")]
    [EndpointDescription("A confidential or public client with its redirect URIs, grant types and scopes; a confidential client's secret is in this answer only. Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost(Name = "CreateOAuthClient")]
    [RequestExample(@"{""name"": ""My SPA"", ""type"": ""public"", ""redirect_uris"": [""https://app.example.com/callback""], ""grant_types"": [""authorization_code"", ""refresh_token""], ""scopes"": [""openid"", ""profile"", ""email""]}")]
    [NoStore]
    [RequireScope(Scopes.ClientsWrite)]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<OAuthClientCreatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    public async Task<IActionResult> Create(CreateOAuthClientRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(
                new CreateClientCommand(
                    HttpContext.Caller(),
                    request.Name ?? "",
                    request.Type ?? "",
                    request.RedirectUris ?? [],
                    request.PostLogoutRedirectUris ?? [],
                    request.GrantTypes ?? CreateClientCommand.DefaultGrantTypes,
                    request.Scopes ?? [],
                    request.RequireConsent ?? true,
                    request.FirstParty ?? false,
                    stepUpCode),
                ct),
            client => StatusCode(StatusCodes.Status201Created, client));

    [EndpointSummary("List OAuth clients")]
    [EndpointDescription("The caller's clients; an administrator's reach is every client.")]
    [HttpGet(Name = "ListOAuthClients")]
    [RequireScope(Scopes.ClientsRead)]
    [ProducesResponseType<IReadOnlyList<OAuthClientResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListClientsQuery(HttpContext.Caller()), ct));

    [EndpointSummary("Get an OAuth client")]
    [EndpointDescription("One client, without its secrets.")]
    [HttpGet("{id:guid}", Name = "GetOAuthClient")]
    [RequireScope(Scopes.ClientsRead)]
    [ProducesResponseType<OAuthClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetClientQuery(HttpContext.Caller(), id), ct));

    [EndpointSummary("Update an OAuth client")]
    [EndpointDescription("Changes only the fields sent. Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPatch("{id:guid}", Name = "UpdateOAuthClient")]
    [RequireScope(Scopes.ClientsWrite)]
    [ProducesResponseType<OAuthClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Update(
        Guid id, UpdateOAuthClientRequest request, [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(
            new UpdateClientCommand(
                HttpContext.Caller(), id, request.Name, request.RedirectUris, request.PostLogoutRedirectUris,
                request.GrantTypes, request.Scopes, request.RequireConsent, request.FirstParty, stepUpCode),
            ct));

    [EndpointSummary("Delete an OAuth client")]
    [EndpointDescription("The client and every token issued to it stop at once.")]
    [HttpDelete("{id:guid}", Name = "DeleteOAuthClient")]
    [RequireScope(Scopes.ClientsWrite)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new DeleteClientCommand(HttpContext.Caller(), id), ct));

    [EndpointSummary("Rotate an OAuth client's secret")]
    [EndpointDescription("Issues a new secret (in this answer only); the previous one keeps working for `previous_secret_expires_in` seconds (0: stops now). Step-up (`X-2FA-Code`) when 2FA is on.")]
    [HttpPost("{id:guid}/rotate-secret", Name = "RotateOAuthClientSecret")]
    [NoStore]
    [RequireScope(Scopes.ClientsWrite)]
    [EnableRateLimiting(RateLimits.Credentials)]
    [ProducesResponseType<ClientSecretRotatedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> RotateSecret(
        Guid id,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RotateClientSecretRequest? request,
        [FromHeader(Name = StepUpHeader.Name)] string? stepUpCode,
        CancellationToken ct) =>
        this.ToActionResult(
            await sender.Send(new RotateClientSecretCommand(HttpContext.Caller(), id, request?.PreviousSecretExpiresIn ?? 0, stepUpCode), ct),
            secret => StatusCode(StatusCodes.Status201Created, secret));
}
