using AuthPlatform.Application.Auth.ListSessions;
using AuthPlatform.Application.Auth.RevokeSession;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>The caller's sessions (SPEC section 2).</summary>
[ApiController]
[Route("api/v1/auth/sessions")]
[Produces("application/json")]
[RequireScope(Scopes.Profile)]
[RequireSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class SessionsController(ISender sender) : ControllerBase
{
    [HttpGet(Name = "ListSessions")]
    [ProducesResponseType<IReadOnlyList<SessionSummary>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListSessionsQuery(HttpContext.CallerUserId(), HttpContext.Caller().SessionId), ct));

    [HttpDelete("{id:guid}", Name = "RevokeSession")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new RevokeSessionCommand(HttpContext.CallerUserId(), id), ct));
}
