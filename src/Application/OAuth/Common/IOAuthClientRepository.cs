using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// The <see cref="OAuthClient"/> aggregate's repository, loaded with its secrets. The token
/// endpoint authenticates a confidential client with <see cref="FindByClientIdAsync"/> and
/// <see cref="OAuthClient.VerifySecret"/> (SHA-256 of the presented secret, constant-time compare).
/// </summary>
public interface IOAuthClientRepository
{
    Task<OAuthClient?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The client with this public identifier (<c>oc_…</c>), tracked, with its secrets; null when none.</summary>
    Task<OAuthClient?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken);

    void Add(OAuthClient client);

    /// <summary>Removes the client; its secrets, authorization codes and consents go with it (cascade).</summary>
    void Remove(OAuthClient client);
}

/// <summary>
/// The <see cref="AuthorizationCode"/> aggregate's repository (used by the authorization-code
/// flow). Codes are found by the SHA-256 of the code; a redemption is saved with the code's
/// concurrency token, so of two parallel redemptions only one commits.
/// </summary>
public interface IAuthorizationCodeRepository
{
    Task<AuthorizationCode?> FindByHashAsync(string codeHash, CancellationToken cancellationToken);

    void Add(AuthorizationCode code);
}

/// <summary>The <see cref="UserGrant"/> (consent) aggregate's repository.</summary>
public interface IUserGrantRepository
{
    /// <summary>The user's consent for the client (revoked ones too), tracked; null when the user never consented.</summary>
    Task<UserGrant?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken);

    /// <summary>The user's consents that are not revoked, newest first, without tracking.</summary>
    Task<IReadOnlyList<UserGrant>> ListActiveOfUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>How many users' consents for the client are not revoked.</summary>
    Task<int> CountActiveOfClientAsync(string clientId, CancellationToken cancellationToken);

    void Add(UserGrant grant);
}
