using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// The caller must hold every one of <see cref="Scopes"/>: a token's <c>scope</c> (split on spaces)
/// or a key's permissions, both as <c>scope</c> claims. Its own handler, so it works without registration.
/// </summary>
public sealed class ScopeRequirement : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>A requirement for all of <paramref name="scopes"/>.</summary>
    public ScopeRequirement(IEnumerable<string> scopes)
    {
        Scopes = scopes.ToArray();
        if (Scopes.Count == 0 || Scopes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one scope, none empty.", nameof(scopes));
        }
    }

    /// <summary>The scopes the caller must hold.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true
            && requirement.Scopes.All(scope => user.HasClaim(c => c.Type == AuthPlatformDefaults.ScopeClaim && string.Equals(c.Value, scope, StringComparison.Ordinal))))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Answers a policy refused for want of a scope as 403 <c>insufficient_scope</c> (with
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="..."</c>); every other outcome
/// goes to ASP.NET Core's default handler (a challenge, 401, or a forbid, 403 <c>forbidden</c>).
/// </summary>
internal sealed class ScopeProblemResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().ToList() is { Count: > 0 } failed)
        {
            var scopes = failed.SelectMany(r => r.Scopes).Distinct(StringComparer.Ordinal).ToList();
            return ProblemWriter.WriteAsync(context, AuthPlatformErrors.InsufficientScope, $"This call needs the scope(s): {string.Join(' ', scopes)}.", requiredScopes: scopes);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
