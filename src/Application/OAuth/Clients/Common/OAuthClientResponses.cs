namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>A client secret as listed: never the secret itself.</summary>
public sealed record OAuthClientSecretResponse(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>A registered client, without any secret. <see cref="Secrets"/> is empty for a public client; <see cref="OwnerId"/> is null for the server's built-in client.</summary>
public sealed record OAuthClientResponse(
    Guid Id,
    string ClientId,
    string Name,
    string Type,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    bool RequireConsent,
    bool FirstParty,
    Guid? OwnerId,
    IReadOnlyList<OAuthClientSecretResponse> Secrets,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The answer of registration: the client, and for a confidential client its
/// <see cref="ClientSecret"/>, shown here only.
/// </summary>
public sealed record OAuthClientCreatedResponse(
    Guid Id,
    string ClientId,
    string? ClientSecret,
    string Name,
    string Type,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    bool RequireConsent,
    bool FirstParty,
    Guid? OwnerId,
    IReadOnlyList<OAuthClientSecretResponse> Secrets,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The answer of a rotation: the new secret, shown here only, and when the earlier ones stop.</summary>
public sealed record ClientSecretRotatedResponse(
    string ClientId, Guid SecretId, string ClientSecret, DateTimeOffset CreatedAt, DateTimeOffset PreviousSecretsExpireAt);
