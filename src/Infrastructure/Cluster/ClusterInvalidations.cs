using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.Signing;
using AuthPlatform.Application.Users;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.OAuth;
using AuthPlatform.Infrastructure.Tokens;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// The Application's ports to the verification memory, as the after-commit actions call them
/// (evict a key, refuse a stamp, token, session or client, forget a client registration, reload
/// the signing keys): each changes this node's memory, then announces the change on the
/// <see cref="IInvalidationBus"/> so every other node makes it too (ADR 0022). With one node the bus
/// is silent and this is exactly the memory itself.
/// </summary>
public sealed class ClusterInvalidations(
    ApiKeyAuthenticator apiKeys,
    SecurityStampCache stamps,
    RevokedAccessTokenCache revokedTokens,
    RevokedClientCache revokedClients,
    ClientRegistrationCache registrations,
    SigningKeyRing ring,
    IInvalidationBus bus) : IApiKeyCache, ISecurityStamps, IRevokedAccessTokens, IRevokedClients, IClientRegistrationCache, ISigningKeyRing
{
    public long Generation => registrations.Generation;

    public void Evict(string keyHash)
    {
        apiKeys.Evict(keyHash);
        bus.Publish(new Invalidation.ApiKeyEvicted(keyHash));
    }

    public void Remember(Guid userId, string fingerprint, DateTimeOffset rotatedAt)
    {
        stamps.Remember(userId, fingerprint, rotatedAt);
        bus.Publish(new Invalidation.StampRotated(userId, fingerprint, rotatedAt));
    }

    public void RememberToken(string tokenId, DateTimeOffset expiresAt)
    {
        revokedTokens.RememberToken(tokenId, expiresAt);
        bus.Publish(new Invalidation.TokenRevoked(tokenId, expiresAt));
    }

    public void RememberSession(Guid sessionId, DateTimeOffset revokedAt)
    {
        revokedTokens.RememberSession(sessionId, revokedAt);
        bus.Publish(new Invalidation.SessionRevoked(sessionId, revokedAt));
    }

    public void Remember(string clientId, DateTimeOffset revokedAt)
    {
        revokedClients.Remember(clientId, revokedAt);
        bus.Publish(new Invalidation.ClientRevoked(clientId, revokedAt));
    }

    public bool TryGet(string clientId, out ClientRegistration registration) => registrations.TryGet(clientId, out registration);

    public void Store(ClientRegistration registration, long generation) => registrations.Store(registration, generation);

    public void EvictClient(string clientId)
    {
        registrations.EvictClient(clientId);
        bus.Publish(new Invalidation.RegistrationChanged(clientId));
    }

    public void EvictOwner(Guid ownerId)
    {
        registrations.EvictOwner(ownerId);
        bus.Publish(new Invalidation.OwnerChanged(ownerId));
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await ring.ReloadAsync(cancellationToken);
        bus.Publish(new Invalidation.SigningKeysChanged());
    }
}
