using Acme.AuthPlatform.Extensions.AddressPolicy;
using Acme.AuthPlatform.Extensions.ExternalDirectory;
using Acme.AuthPlatform.Extensions.Passwords;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Extensions;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Acme.AuthPlatform.Extensions;

/// <summary>
/// Acme's additions to AuthPlatform, one registration line each. Loaded with
/// <c>Extensions__Assemblies__0=/path/to/Acme.AuthPlatform.Extensions.dll</c>, or in code with
/// <c>services.AddAuthPlatformExtension&lt;AcmeExtension&gt;()</c>.
/// </summary>
public sealed class AcmeExtension : IAuthPlatformExtension
{
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // 1. A domain-event handler: every new user is pushed to Acme's directory, after the commit.
        services.TryAddSingleton<IExternalDirectory, LoggingExternalDirectory>();
        services.AddScoped<INotificationHandler<DomainEventNotification>, PushNewUserToDirectory>();

        // 2. A pipeline behaviour: both sign-in steps only from Acme's networks (Acme:AllowedNetworks),
        //    refused with Acme's own error code, answered 403.
        services.AddSingleton(AllowedNetworks.From(configuration));
        services.AddErrorCode(AcmeErrorCodes.AddressNotAllowed, 403);
        services.AddScoped<IPipelineBehavior<LoginCommand, Result<LoginResponse>>, AddressAllowListBehaviour<LoginCommand, Result<LoginResponse>>>();
        services.AddScoped<IPipelineBehavior<LoginWithSecondFactorCommand, Result<SessionResponse>>,
            AddressAllowListBehaviour<LoginWithSecondFactorCommand, Result<SessionResponse>>>();

        // 3. A replaced port: Acme's password policy (which keeps the common-password list).
        services.AddSingleton<IPasswordPolicy, AcmePasswordPolicy>();
    }
}

/// <summary>The error codes Acme's extension answers with, besides AuthPlatform's own.</summary>
public static class AcmeErrorCodes
{
    /// <summary>A sign-in from outside <c>Acme:AllowedNetworks</c> (403).</summary>
    public const string AddressNotAllowed = "address_not_allowed";
}
