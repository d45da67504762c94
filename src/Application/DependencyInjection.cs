using AuthPlatform.Application.Common.Mapping;
using FluentValidation;
using Mapster;
using MapsterMapper;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Application;

/// <summary>
/// The Application layer's services. The mediator itself is generated in the host (Mediator's
/// source generator runs in the outermost project), where the pipeline is set: logging,
/// validation, unit of work.
/// </summary>
public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddScoped<Users.CallerAccounts>();
        services.AddScoped<Users.NewAccounts>();
        services.AddScoped<Users.SignInAttempts>();
        services.AddScoped<Users.PasswordConfirmation>();
        services.AddScoped<Auth.Common.SessionLiveness>();
        services.AddScoped<Admin.Common.AdminUserViews>();
        services.AddScoped<Auth.Common.SessionIssuer>();
        services.AddScoped<Auth.Common.RefreshTokenRotation>();
        services.AddScoped<Auth.Common.PasswordSignIn>();
        services.AddScoped<TwoFactor.Common.RecoveryCodes>();
        services.AddScoped<TwoFactor.Common.SecondFactorVerifier>();
        services.AddScoped<TwoFactor.Common.StepUp>();
        services.AddScoped<OAuth.Common.ClientAuthentication>();
        services.AddScoped<OAuth.Common.UserGrantTokens>();
        services.AddScoped<OAuth.Authorize.Common.BrowserSignInCheck>();
        services.AddScoped<OAuth.Device.Common.UserCodeLookup>();
        services.AddScoped<ApiKeys.Common.ApiKeyLineage>();

        // Replaceable (docs/extending.md): a replacement registered later wins, and may wrap this one.
        services.AddSingleton<Common.Security.CommonPasswordPolicy>();
        services.AddSingleton<Common.Security.IPasswordPolicy>(sp => sp.GetRequiredService<Common.Security.CommonPasswordPolicy>());
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);

        // Compiled on a worker thread while the host builds (about 0.4 s of CPU); the host awaits it
        // before it listens, so a mapping that cannot compile still stops the start-up, not a request.
        var mappings = new CompiledMappings(MappingConfiguration.Create());
        services.AddSingleton(mappings);
        services.AddSingleton(_ => mappings.WhenCompiled());
        services.AddSingleton<IMapper>(sp => new Mapper(sp.GetRequiredService<TypeAdapterConfig>()));
        return services;
    }
}
