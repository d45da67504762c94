using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Application.Extensions;

/// <summary>Calls extensions: one by type (the one-line form) or every one an assembly holds.</summary>
public static class ExtensionRegistration
{
    /// <summary>
    /// Calls <typeparamref name="TExtension"/> with the host's configuration (the
    /// <see cref="IConfiguration"/> the host registered). Call it after AuthPlatform's own services.
    /// </summary>
    public static IServiceCollection AddAuthPlatformExtension<TExtension>(this IServiceCollection services)
        where TExtension : IAuthPlatformExtension, new() =>
        services.AddAuthPlatformExtension<TExtension>(HostConfiguration(services));

    public static IServiceCollection AddAuthPlatformExtension<TExtension>(this IServiceCollection services, IConfiguration configuration)
        where TExtension : IAuthPlatformExtension, new()
    {
        new TExtension().ConfigureServices(services, configuration);
        return services;
    }

    /// <summary>
    /// Calls every public <see cref="IAuthPlatformExtension"/> of <paramref name="assembly"/>, in name order.
    /// </summary>
    /// <exception cref="InvalidOperationException">the assembly holds none, or one cannot be created; names <paramref name="setting"/>.</exception>
    public static IServiceCollection AddAuthPlatformExtensions(
        this IServiceCollection services, Assembly assembly, IConfiguration configuration, string setting)
    {
        var types = assembly.GetExportedTypes()
            .Where(t => typeof(IAuthPlatformExtension).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        if (types.Count == 0)
        {
            throw new InvalidOperationException(
                $"{setting}: the assembly '{assembly.GetName().Name}' contains no public class that implements {nameof(IAuthPlatformExtension)}.");
        }

        foreach (var type in types)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new InvalidOperationException($"{setting}: the extension '{type.FullName}' needs a public parameterless constructor.");
            }

            ((IAuthPlatformExtension)Activator.CreateInstance(type)!).ConfigureServices(services, configuration);
        }

        return services;
    }

    private static IConfiguration HostConfiguration(IServiceCollection services)
    {
        // The generic host registers its configuration as a factory that ignores the provider.
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IConfiguration) && !d.IsKeyedService);
        IConfiguration? configuration = null;
        try
        {
            configuration = descriptor?.ImplementationInstance as IConfiguration
                ?? descriptor?.ImplementationFactory?.Invoke(NoServices.Instance) as IConfiguration;
        }
        catch (InvalidOperationException)
        {
            // A factory that needs services: say what to do instead, below.
        }

        return configuration ?? throw new InvalidOperationException(
            "AddAuthPlatformExtension<T>() found no IConfiguration in the services: pass it, AddAuthPlatformExtension<T>(configuration).");
    }

    private sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
