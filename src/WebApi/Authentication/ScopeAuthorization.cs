using AuthPlatform.Application.Auth.Common;
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

/// <summary>
/// Builds a policy per scope on demand: <c>scope:NAME</c>. The policies name no scheme: the default
/// scheme (Bearer) already authenticated the request, so the authorization middleware takes its
/// user as it is rather than authenticating again and merging the two (issue 13).
/// </summary>
public sealed class ScopePolicy(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    public const string SessionPolicyName = "session";

    public const string LiveSessionPolicyName = "live-session";

    public const string Prefix = "scope:";

    /// <summary>Scope policies never change at run time, so the authorization middleware may cache them per endpoint.</summary>
    public override bool AllowsCachingPolicies => true;

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName is SessionPolicyName or LiveSessionPolicyName)
        {
            return new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .AddRequirements(new SessionRequirement(AllowsApiKeys: policyName == LiveSessionPolicyName))
                .Build();
        }

        if (policyName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return new AuthorizationPolicyBuilder()
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
        // An ended session is a dead credential: 401 invalid_token with its challenge, before any 403.
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == SessionRequirementHandler.SessionEnded) == true)
        {
            return Problems.WriteAsync(context, SessionLiveness.SessionEnded);
        }

        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer realm=\"authplatform\", error=\"insufficient_scope\", scope=\"{missing.Scope}\"";
            return Problems.WriteAsync(context, new Error(ErrorCodes.InsufficientScope, $"This call needs the '{missing.Scope}' scope."));
        }

        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<SessionRequirement>().Any() == true)
        {
            return Problems.WriteAsync(context, new Error(ErrorCodes.Forbidden, "This call needs a user's signed-in session: API keys cannot manage 2FA, sessions or the password, a service account manages no account, and a third-party app's token cannot manage the account."));
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
