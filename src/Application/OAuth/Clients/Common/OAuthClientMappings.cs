using AuthPlatform.Domain.OAuth;
using Mapster;

namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>How an <see cref="OAuthClient"/> is answered. The secret is never on the aggregate: registration adds it.</summary>
public sealed class OAuthClientMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<OAuthClientSecret, OAuthClientSecretResponse>();
        config.NewConfig<OAuthClient, OAuthClientResponse>()
            .Map(response => response.Type, client => TypeName(client.Type))
            .Map(response => response.Scopes, client => client.Scopes.ToArray())
            .Map(response => response.Secrets, client => client.Secrets.OrderBy(s => s.CreatedAt).ToArray());
        config.NewConfig<OAuthClient, OAuthClientCreatedResponse>()
            .Map(response => response.Type, client => TypeName(client.Type))
            .Map(response => response.Scopes, client => client.Scopes.ToArray())
            .Map(response => response.Secrets, client => client.Secrets.OrderBy(s => s.CreatedAt).ToArray())
            .Ignore(response => response.ClientSecret!);
    }

    /// <summary><c>confidential</c> or <c>public</c>, as in requests.</summary>
    public static string TypeName(OAuthClientType type) => type == OAuthClientType.Public ? "public" : "confidential";
}
