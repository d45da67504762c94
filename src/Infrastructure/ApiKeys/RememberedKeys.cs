using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace AuthPlatform.Infrastructure.ApiKeys;

/// <summary>The SHA-256 of an API key as a dictionary key: found without making a string.</summary>
public readonly record struct KeyDigest(ulong A, ulong B, ulong C, ulong D)
{
    public const int Size = 32;

    public static KeyDigest Of(ReadOnlySpan<byte> sha256) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(sha256),
        BinaryPrimitives.ReadUInt64LittleEndian(sha256[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(sha256[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(sha256[24..]));

    /// <summary>The digest of a stored key hash (64 hex digits); false for anything else.</summary>
    public static bool TryParse(string hex, out KeyDigest digest)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (hex.Length != Size * 2 || Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            digest = default;
            return false;
        }

        digest = Of(bytes);
        return true;
    }
}

/// <summary>
/// What memory knows of API keys, by digest, each entry until its own expiry (checked on every
/// lookup against the <see cref="TimeProvider"/>). Bounded: past <c>capacity</c> entries the
/// expired ones are dropped, and if that is not enough all are (each key then costs one read
/// again), rather than tracking recency on the hot path. Lookups allocate nothing.
/// </summary>
public sealed class RememberedKeys<T>(int capacity, TimeProvider clock)
    where T : class
{
    private readonly ConcurrentDictionary<KeyDigest, Entry> _entries = new();

    public bool TryGet(KeyDigest digest, out T key)
    {
        if (_entries.TryGetValue(digest, out var entry))
        {
            if (clock.GetUtcNow().UtcTicks < entry.ExpiresAt)
            {
                key = entry.Key;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<KeyDigest, Entry>(digest, entry));
        }

        key = null!;
        return false;
    }

    public void Set(KeyDigest digest, T key, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcTicks;
        if (_entries.Count >= capacity)
        {
            foreach (var (stale, entry) in _entries)
            {
                if (entry.ExpiresAt <= now)
                {
                    _entries.TryRemove(new KeyValuePair<KeyDigest, Entry>(stale, entry));
                }
            }

            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }
        }

        _entries[digest] = new Entry(key, now + lifetime.Ticks);
    }

    public void Remove(KeyDigest digest) => _entries.TryRemove(digest, out _);

    public void Clear() => _entries.Clear();

    private sealed record Entry(T Key, long ExpiresAt);
}
