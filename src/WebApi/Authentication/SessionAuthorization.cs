using AuthPlatform.Application.Auth.CheckSession;
using AuthPlatform.Application.Common.Security;
using Mediator;
using Microsoft.AspNetCore.Authorization;

namespace AuthPlatform.WebApi.Authentication;

/// <summary>
/// Account-security calls (2FA, sessions, password) need a signed-in session that still lives,
/// never an API key: a key handed to a script must not be able to take over the account it
/// belongs to, and an access token must not outlive its session's logout or revocation here.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequireSessionAttribute() : AuthorizeAttribute(ScopePolicy.SessionPolicyName);

/// <summary>
/// Calls that read or change account data or administer others (audit trail, API keys, admin):
/// an access token's session must still live; an API key passes (it is read with its owner's
/// state and evicted when it changes, so it has no session to outlive).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequireLiveSessionAttribute() : AuthorizeAttribute(ScopePolicy.LiveSessionPolicyName);

/// <param name="AllowsApiKeys">False for <see cref="RequireSessionAttribute"/>, true for <see cref="RequireLiveSessionAttribute"/>.</param>
public sealed record SessionRequirement(bool AllowsApiKeys) : IAuthorizationRequirement;

/// <summary>
/// The one liveness check of the HTTP layer: for an access token, one read of the session it
/// names (<see cref="CheckSessionQuery"/>); never on <c>/verify</c>, which has no such policy.
/// </summary>
public sealed class SessionRequirementHandler : AuthorizationHandler<SessionRequirement>
{
    public const string SessionEnded = "session_ended";
    public const string NotASession = "not_a_session";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionRequirement requirement)
    {
        if (context.Resource is not HttpContext http || BearerAuthenticationHandler.GetCaller(http)?.Identity is not { } caller)
        {
            return; // not authenticated: the policy's authenticated-user requirement answers
        }

        if (caller.Method != AuthMethods.Jwt && !(caller.Method == AuthMethods.OAuth && caller.UserId is not null))
        {
            // A service account's key (no user behind it) manages no account: it is refused here.
            if (requirement.AllowsApiKeys && caller.Method == AuthMethods.ApiKey && caller.UserId is not null)
            {
                context.Succeed(requirement);
            }
            else
            {
                context.Fail(new AuthorizationFailureReason(this, NotASession));
            }

            return;
        }

        // A user's token held by an app passes when the app is first-party (ADR 0019); the query says which.
        var live = await http.RequestServices.GetRequiredService<ISender>().Send(new CheckSessionQuery(caller), http.RequestAborted);
        if (live.IsSuccess)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, live.Error == CheckSessionHandler.NotFirstParty ? NotASession : SessionEnded));
        }
    }
}
