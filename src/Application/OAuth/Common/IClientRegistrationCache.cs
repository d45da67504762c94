namespace AuthPlatform.Application.OAuth.Common;

/// <summary>
/// This instance's short-lived memory of the clients the token endpoint found (ADR 0015), so a
/// grant need not read its client from the database every time. Only found clients are kept (an
/// unknown id is read again each time). A commit that changes a client or its owner evicts it on
/// this instance (<see cref="EvictChangedClients"/>); other instances forget it when it expires.
/// </summary>
public interface IClientRegistrationCache
{
    /// <summary>A number that moves on at every eviction: read it before the store, hand it to <see cref="Store"/>.</summary>
    long Generation { get; }

    bool TryGet(string clientId, out ClientRegistration registration);

    /// <summary>Keeps <paramref name="registration"/>, unless an eviction happened since <paramref name="generation"/> was read (the read may predate it).</summary>
    void Store(ClientRegistration registration, long generation);

    void EvictClient(string clientId);

    /// <summary>Forgets every client owned by <paramref name="ownerId"/> (their registrations carry the owner's role, standing and stamp).</summary>
    void EvictOwner(Guid ownerId);
}
