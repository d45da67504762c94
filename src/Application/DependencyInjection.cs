using FluentValidation;
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
        services.AddScoped<Auth.Common.SessionIssuer>();
        services.AddScoped<TwoFactor.SecondFactorVerifier>();
        services.AddScoped<TwoFactor.StepUp>();
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
        return services;
    }
}
