using System.Reflection;
using System.Runtime.Loader;
using AuthPlatform.Application.Extensions;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Loads the extension assemblies named by <c>Extensions:Assemblies</c> (a path to a .dll, or the
/// name of an assembly the host can already resolve) and calls each one's
/// <see cref="IAuthPlatformExtension"/>s. A missing assembly or extension stops the start-up with
/// one line that names the setting.
/// </summary>
public static class ExtensionAssemblies
{
    public const string Section = "Extensions:Assemblies";

    public static IServiceCollection AddConfiguredExtensions(this IServiceCollection services, IConfiguration configuration)
    {
        // Extensions__Assemblies=one.dll (a single value) works as well as Extensions__Assemblies__0=one.dll.
        var section = configuration.GetSection(Section);
        var entries = !string.IsNullOrWhiteSpace(section.Value)
            ? [(Setting: Section, section.Value)]
            : section.GetChildren().Select(c => (Setting: $"{Section}:{c.Key}", c.Value)).ToList();
        var loaded = new HashSet<Assembly>();
        foreach (var (setting, value) in entries)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var assembly = Load(value.Trim(), setting);
            if (loaded.Add(assembly))
            {
                services.AddAuthPlatformExtensions(assembly, configuration, setting);
            }
        }

        return services;
    }

    private static Assembly Load(string value, string setting)
    {
        var isPath = value.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            || value.Contains(Path.DirectorySeparatorChar) || value.Contains(Path.AltDirectorySeparatorChar);
        try
        {
            if (!isPath)
            {
                return Assembly.Load(new AssemblyName(value));
            }

            var path = Path.GetFullPath(value);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{setting}: no extension assembly at '{path}'. Give the path of a .dll or the name of an assembly.");
            }

            // Already loaded (the host references it, or it is named twice): the same types, not a copy.
            var name = AssemblyName.GetAssemblyName(path);
            var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName()));
            if (loaded is not null)
            {
                return loaded;
            }

            ResolveDependenciesBeside(path);
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            throw new InvalidOperationException($"{setting}: the extension assembly '{value}' cannot be loaded ({e.Message.Split('\n')[0].Trim()}).", e);
        }
    }

    /// <summary>
    /// The extension's own dependencies (listed in its .deps.json) load from its folder when the host
    /// has none of that name; AuthPlatform's assemblies always come from the host, so types match.
    /// </summary>
    private static void ResolveDependenciesBeside(string path)
    {
        var resolver = new AssemblyDependencyResolver(path);
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
    }
}
