using AuthPlatform.Application.Admin.ChangeUserRole;
using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Admin.DisableUser;
using AuthPlatform.Application.Admin.EnableUser;
using AuthPlatform.Application.Admin.GetUser;
using AuthPlatform.Application.Admin.ListUsers;
using AuthPlatform.Application.Admin.UnlockUser;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.WebApi.Authentication;
using AuthPlatform.WebApi.Http;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.WebApi.Controllers;

/// <summary>The body of <c>PUT /api/v1/admin/users/{id}/role</c>: <c>admin</c> or <c>user</c>.</summary>
public sealed record ChangeUserRoleRequest(string? Role);

/// <summary>Administration of users (SPEC section 8): list and search, get, unlock, disable, enable, change the role.</summary>
[ApiController]
[ApiTag("Admin users", "Administration of users (scope `admin`): list and search, get, unlock, disable, enable, change the role.")]
[Route("api/v1/admin/users")]
[Produces("application/json")]
[RequireScope(Scopes.Admin)]
[RequireLiveSession]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class AdminUsersController(ISender sender) : ControllerBase
{
    /// <summary>Oldest account first; <c>email</c> matches any part of the address, case-insensitively.</summary>
    [EndpointSummary("List and search users")]
    [EndpointDescription("Oldest account first, a page at a time (`page`, `page_size`); `email` matches any part of the address, case-insensitively.")]
    [HttpGet(Name = "AdminListUsers")]
    [ProducesResponseType<UserPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IActionResult> List(
        [FromQuery] string? email, [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ListUsersQuery(email, page, pageSize), ct));

    [EndpointSummary("Get a user")]
    [EndpointDescription("The account as an administrator sees it: role, state, lockout, 2FA.")]
    [HttpGet("{id:guid}", Name = "AdminGetUser")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Get(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new GetUserQuery(id), ct));

    [EndpointSummary("Unlock a user")]
    [EndpointDescription("Clears the lockout and the failure count so the user may sign in again.")]
    [HttpPost("{id:guid}/unlock", Name = "AdminUnlockUser")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Unlock(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new UnlockUserCommand(HttpContext.CallerUserId(), id), ct));

    /// <summary>Its sessions, tokens and API keys stop at once; an administrator cannot disable themselves (403).</summary>
    [EndpointSummary("Disable a user")]
    [EndpointDescription("The user's sessions, tokens and API keys stop at once; an administrator cannot disable themselves (403 `forbidden`).")]
    [HttpPost("{id:guid}/disable", Name = "AdminDisableUser")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Disable(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new DisableUserCommand(HttpContext.CallerUserId(), id), ct));

    /// <summary>The user may sign in again; sessions that disabling ended stay ended.</summary>
    [EndpointSummary("Enable a user")]
    [EndpointDescription("The user may sign in again; sessions that disabling ended stay ended.")]
    [HttpPost("{id:guid}/enable", Name = "AdminEnableUser")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Enable(Guid id, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new EnableUserCommand(HttpContext.CallerUserId(), id), ct));

    /// <summary>
    /// <c>admin</c> or <c>user</c>. The user's access tokens stop at once and their API keys keep only
    /// what the new role allows; an administrator cannot change their own role (403).
    /// </summary>
    [EndpointSummary("Change a user's role")]
    [EndpointDescription("`admin` or `user`. The user's access tokens stop at once and their API keys keep only what the new role allows; an administrator cannot change their own role (403 `forbidden`).")]
    [HttpPut("{id:guid}/role", Name = "AdminChangeUserRole")]
    [RequestExample(@"{""role"": ""admin""}")]
    [ProducesResponseType<AdminUserResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetailsResponse>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> ChangeRole(Guid id, ChangeUserRoleRequest request, CancellationToken ct) =>
        this.ToActionResult(await sender.Send(new ChangeUserRoleCommand(HttpContext.CallerUserId(), id, request.Role), ct));
}
