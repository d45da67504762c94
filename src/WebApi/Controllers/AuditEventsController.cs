using AuthPlatform.Application.Audit.ListAuditEvents;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>The audit trail (SPEC section 8).</summary>
[ApiController]
[ApiTag("Audit", "The audit trail (scope `audit:read`): the caller's own events, everyone's for an administrator.")]
[Route("api/v1/audit-events")]
[Produces("application/json")]
[RequireLiveSession]
[RequireScope(Scopes.AuditRead)]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class AuditEventsController(ISender sender) : ControllerBase
{
    /// <summary>Newest first: the caller's own events, everyone's for an administrator.</summary>
    [EndpointSummary("List audit events")]
    [EndpointDescription("Newest first: the caller's own events, everyone's for an administrator; filter by `type` and the `from`/`to` instants, at most `limit` events.")]
    [HttpGet(Name = "ListAuditEvents")]
    [ProducesResponseType<IReadOnlyList<AuditEventResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> List(
        [FromQuery] string? type, [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] int? limit, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListAuditEventsQuery(HttpContext.Caller(), type, from?.ToUniversalTime(), to?.ToUniversalTime(), limit), ct));
}
