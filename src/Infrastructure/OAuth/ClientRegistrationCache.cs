using System.Collections.Concurrent;
using AuthPlatform.Application.OAuth.Common;

namespace AuthPlatform.Infrastructure.OAuth;

/// <summary>
/// <see cref="IClientRegistrationCache"/> in memory: at most <see cref="MaxEntries"/> clients, each
/// for <see cref="Lifetime"/> (the API-key cache's 60 s, ADR 0006), so a change committed by another
/// instance is seen here within a minute (at once with Redis, ADR 0022). An eviction moves <see cref="Generation"/> on, and a
/// registration read before it is not stored: a grant racing a change never caches the old rows.
/// </summary>
public sealed class ClientRegistrationCache(TimeProvider clock, Cluster.MemoryLifetimes lifetimes) : IClientRegistrationCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string clientId, out ClientRegistration registration)
    {
        if (_entries.TryGetValue(clientId, out var entry))
        {
            if (entry.ExpiresAt > clock.GetUtcNow())
            {
                registration = entry.Registration;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(clientId, entry));
        }

        registration = null!;
        return false;
    }

    public void Store(ClientRegistration registration, long generation)
    {
        if (_entries.Count >= MaxEntries)
        {
            // Rare (more live clients than that): start afresh rather than keep an index of ages.
            _entries.Clear();
        }

        var entry = new Entry(registration, clock.GetUtcNow() + lifetimes.Cap(Lifetime));
        _entries[registration.ClientId] = entry;

        // An eviction since the read began: the registration may be older than the change it
        // announced. Take it out again (the eviction's own removal may have run before this store).
        if (Generation != generation)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(registration.ClientId, entry));
        }
    }

    public void EvictClient(string clientId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(clientId, out _);
    }

    /// <summary>Forgets every client (another node's changes may have been missed, ADR 0022).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    public void EvictOwner(Guid ownerId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (clientId, entry) in _entries)
        {
            if (entry.Registration.OwnerId == ownerId)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(clientId, entry));
            }
        }
    }

    private sealed record Entry(ClientRegistration Registration, DateTimeOffset ExpiresAt);
}
