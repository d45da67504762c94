using AuthPlatform.Application.Common.Results;
using AuthPlatform.WebApi.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>Declares the scope an endpoint needs (RS-02): <c>[RequireScope("profile")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequireScopeAttribute(string scope) : AuthorizeAttribute(ScopePolicy.Prefix + scope)
{
    public string Scope { get; } = scope;
}

public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>
/// Account-security calls (2FA, sessions, password) need a signed-in session, never an API
/// key: a key handed to a script must not be able to take over the account it belongs to.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequireSessionAttribute() : AuthorizeAttribute(ScopePolicy.SessionPolicyName);

public sealed record SessionRequirement : IAuthorizationRequirement;

public sealed class SessionRequirementHandler : AuthorizationHandler<SessionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionRequirement requirement)
    {
        if (context.User.HasClaim("auth_method", Application.Common.Security.AuthMethods.Jwt))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasClaim("scope", requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Builds a policy per scope on demand: <c>scope:NAME</c>.</summary>
public sealed class ScopePolicy(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public const string SessionPolicyName = "session";

    public const string Prefix = "scope:";

    /// <summary>Scope policies never change at run time, so the authorization middleware may cache them per endpoint.</summary>
    public override bool AllowsCachingPolicies => true;

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName == SessionPolicyName)
        {
            return new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new SessionRequirement())
                .Build();
        }

        if (policyName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(policyName[Prefix.Length..]))
                .Build();
        }

        return await base.GetPolicyAsync(policyName);
    }
}

/// <summary>A missing scope answers 403 <c>insufficient_scope</c> with the RFC 6750 header naming the scope.</summary>
public sealed class ScopeForbiddenResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer realm=\"authplatform\", error=\"insufficient_scope\", scope=\"{missing.Scope}\"";
            return Problems.WriteAsync(context, new Error(ErrorCodes.InsufficientScope, $"This call needs the '{missing.Scope}' scope."));
        }

        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<SessionRequirement>().Any() == true)
        {
            return Problems.WriteAsync(context, new Error(ErrorCodes.Forbidden, "This call needs a signed-in session: API keys cannot manage 2FA, sessions or the password."));
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
