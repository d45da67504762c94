using AuthPlatform.Domain.ServiceAccounts;
using Mapster;

namespace AuthPlatform.Application.ServiceAccounts.Common;

/// <summary>How a <see cref="ServiceAccount"/> is answered. Secrets are never on the aggregate: create and add-secret add them.</summary>
public sealed class ServiceAccountMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<ClientSecret, ClientSecretResponse>();
        config.NewConfig<ServiceAccount, ServiceAccountResponse>()
            .Map(response => response.Scopes, account => account.Scopes.ToArray())
            .Map(response => response.Secrets, account => account.Secrets.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToList());
        config.NewConfig<ServiceAccount, ServiceAccountCreatedResponse>()
            .Map(response => response.Scopes, account => account.Scopes.ToArray())
            .Map(response => response.SecretId, account => account.Secrets[0].Id)
            .Map(response => response.SecretExpiresAt, account => account.Secrets[0].ExpiresAt)
            .Ignore(response => response.ClientSecret);
        config.NewConfig<ClientSecret, ClientSecretCreatedResponse>()
            .Ignore(response => response.ClientSecret);
    }
}
