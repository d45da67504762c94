using AuthPlatform.Application.Auth.ListSessions;
using AuthPlatform.Application.Auth.RevokeAllSessions;
using AuthPlatform.Application.Auth.RevokeSession;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>The caller's sessions (SPEC section 2).</summary>
[ApiController]
[ApiTag("Sessions", "The caller's sessions: list them, end one, or sign out everywhere. A signed-in session only, never an API key.")]
[Route("api/v1/auth/sessions")]
[Produces("application/json")]
[RequireScope(Scopes.Profile)]
[RequireSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class SessionsController(ISender sender) : ControllerBase
{
    [EndpointSummary("List my sessions")]
    [EndpointDescription("The caller's live sessions; `current` marks this one.")]
    [HttpGet(Name = "ListSessions")]
    [ProducesResponseType<IReadOnlyList<SessionSummary>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListSessionsQuery(HttpContext.CallerUserId(), HttpContext.Caller().SessionId), ct));

    [EndpointSummary("End one of my sessions")]
    [EndpointDescription("Its refresh token and access tokens stop at once.")]
    [HttpDelete("{id:guid}", Name = "RevokeSession")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new RevokeSessionCommand(HttpContext.CallerUserId(), id), ct));

    /// <summary>Sign out everywhere: every session ends, this one too, and every access token stops at once.</summary>
    [EndpointSummary("Sign out everywhere")]
    [EndpointDescription("Every session ends, this one too, and every access token stops at once.")]
    [HttpDelete(Name = "RevokeAllSessions")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RevokeAll(CancellationToken ct) =>
        this.ToNoContent(await sender.Send(new RevokeAllSessionsCommand(HttpContext.Caller()), ct));
}
