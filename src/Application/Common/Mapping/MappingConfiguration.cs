using Mapster;

namespace AuthPlatform.Application.Common.Mapping;

/// <summary>
/// Aggregate-to-response mapping with Mapster: one <see cref="IRegister"/> per feature
/// (<c>ApiKeyMappings</c>, <c>AuthMappings</c>), found by scanning this assembly. Every mapping
/// must be registered and must give every member of the response a source (or say it is filled
/// by the use case); the whole configuration is compiled at start-up, so a broken mapping stops
/// the server instead of failing a request.
/// </summary>
public static class MappingConfiguration
{
    public static TypeAdapterConfig Create()
    {
        var config = new TypeAdapterConfig
        {
            RequireExplicitMapping = true,
            RequireDestinationMemberSource = true,
        };
        config.Scan(typeof(MappingConfiguration).Assembly);
        return config;
    }
}
