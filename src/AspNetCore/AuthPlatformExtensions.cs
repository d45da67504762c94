using AuthPlatform.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the AuthPlatform scheme and of scope policies.</summary>
public static class AuthPlatformExtensions
{
    /// <summary>
    /// The one-call set-up: authentication with AuthPlatform as the default scheme, and
    /// authorization (add scope policies with <see cref="RequireScope"/>).
    /// </summary>
    public static AuthenticationBuilder AddAuthPlatform(this IServiceCollection services, Action<AuthPlatformOptions> configure)
    {
        services.AddAuthorization();
        return services.AddAuthentication(AuthPlatformDefaults.AuthenticationScheme).AddAuthPlatform(configure);
    }

    /// <summary>Adds the AuthPlatform scheme under its default name (<c>AuthPlatform</c>).</summary>
    public static AuthenticationBuilder AddAuthPlatform(this AuthenticationBuilder builder, Action<AuthPlatformOptions> configure) =>
        builder.AddAuthPlatform(AuthPlatformDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the AuthPlatform scheme under <paramref name="scheme"/>.</summary>
    public static AuthenticationBuilder AddAuthPlatform(this AuthenticationBuilder builder, string scheme, Action<AuthPlatformOptions> configure)
    {
        // Last registration wins: answers a missing scope as 403 insufficient_scope, all else as before.
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeProblemResultHandler>();
        return builder.AddScheme<AuthPlatformOptions, AuthPlatformHandler>(scheme, configure);
    }

    /// <summary>The policy needs an authenticated caller holding every one of <paramref name="scopes"/>.</summary>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] scopes) =>
        policy.RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(scopes));
}
