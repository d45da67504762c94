namespace AuthPlatform.Application.ServiceAccounts.Common;

/// <summary>A secret as listed: never the secret itself, nor its hash.</summary>
public sealed record ClientSecretResponse(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>A service account as answered by list and get.</summary>
public sealed record ServiceAccountResponse(
    Guid Id,
    string Name,
    string? Description,
    string ClientId,
    IReadOnlyList<string> Scopes,
    Guid OwnerId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ClientSecretResponse> Secrets);

/// <summary>The create answer: the only time <see cref="ClientSecret"/> is shown.</summary>
public sealed record ServiceAccountCreatedResponse(
    Guid Id,
    string Name,
    string? Description,
    string ClientId,
    string ClientSecret,
    Guid SecretId,
    DateTimeOffset? SecretExpiresAt,
    IReadOnlyList<string> Scopes,
    Guid OwnerId,
    DateTimeOffset CreatedAt);

/// <summary>A new secret: the only time <see cref="ClientSecret"/> is shown.</summary>
public sealed record ClientSecretCreatedResponse(Guid Id, string ClientSecret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
