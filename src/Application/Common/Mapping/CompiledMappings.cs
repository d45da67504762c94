using Mapster;

namespace AuthPlatform.Application.Common.Mapping;

/// <summary>
/// The mapping configuration and its compilation, started on a worker thread when the services
/// are registered so that it overlaps the rest of the start-up (issue 13: it is the largest single
/// cost before the server listens). Nothing maps before it ends: the <see cref="TypeAdapterConfig"/>
/// and the <c>IMapper</c> in the container are handed out only through <see cref="WhenCompiled"/>,
/// and the host awaits <see cref="Compilation"/> before it listens, so a mapping that cannot compile
/// still stops the start-up with its error.
/// </summary>
public sealed class CompiledMappings
{
    private readonly TypeAdapterConfig config;

    public CompiledMappings(TypeAdapterConfig config)
    {
        this.config = config;
        Compilation = Task.Run(() => config.Compile());
    }

    /// <summary>Completes when every registered mapping has compiled; faults with Mapster's error if one cannot.</summary>
    public Task Compilation { get; }

    /// <summary>The configuration, once compiled (blocks until then; throws the compilation's error).</summary>
    public TypeAdapterConfig WhenCompiled()
    {
        Compilation.GetAwaiter().GetResult();
        return config;
    }
}
