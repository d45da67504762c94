using AuthPlatform.Application.OAuth.ListUserGrants;
using AuthPlatform.Application.OAuth.RevokeUserGrant;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>The apps the caller authorised (SPEC section 6), managed like the caller's sessions: a live signed-in session only.</summary>
[ApiController]
[ApiTag("Grants", "The apps the caller authorised through OAuth: list them, withdraw one.")]
[Route("api/v1/auth/grants")]
[Produces("application/json")]
[RequireScope(Scopes.Profile)]
[RequireSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class UserGrantsController(ISender sender) : ControllerBase
{
    [EndpointSummary("List the apps I authorised")]
    [EndpointDescription("The OAuth clients the caller consented to, with their scopes.")]
    [HttpGet(Name = "ListGrants")]
    [ProducesResponseType<IReadOnlyList<UserGrantResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListUserGrantsQuery(HttpContext.CallerUserId()), ct));

    /// <summary>Withdraws the app's consent and ends its sessions: its refresh and access tokens stop at once.</summary>
    [EndpointSummary("Withdraw an app's access")]
    [EndpointDescription("Withdraws the app's consent and ends its sessions: its refresh and access tokens stop at once.")]
    [HttpDelete("{clientId}", Name = "RevokeGrant")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(string clientId, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new RevokeUserGrantCommand(HttpContext.CallerUserId(), clientId), ct));
}
