using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Application.Extensions;

/// <summary>
/// The entry point of an extension assembly: registers its domain-event handlers, pipeline
/// behaviours, port replacements and error codes. Called once at start-up, after AuthPlatform's
/// own services, so what it registers wins over the defaults. Loaded from the setting
/// <c>Extensions:Assemblies</c> or with <c>services.AddAuthPlatformExtension&lt;T&gt;()</c>
/// (docs/extending.md). A public, non-abstract class with a public parameterless constructor.
/// </summary>
public interface IAuthPlatformExtension
{
    void ConfigureServices(IServiceCollection services, IConfiguration configuration);
}
