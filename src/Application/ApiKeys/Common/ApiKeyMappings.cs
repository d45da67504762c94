using AuthPlatform.Domain.ApiKeys;
using Mapster;

namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>How an <see cref="ApiKey"/> is answered. The secret is never on the aggregate: create and rotate add it.</summary>
public sealed class ApiKeyMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<ApiKey, ApiKeyResponse>()
            .Map(response => response.Permissions, key => key.Permissions.ToArray());
        config.NewConfig<ApiKey, ApiKeyCreatedResponse>()
            .Map(response => response.Permissions, key => key.Permissions.ToArray())
            .Ignore(response => response.Key);
    }
}
