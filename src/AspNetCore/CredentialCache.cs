using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// What was learnt about a credential, bounded: past <c>max</c> entries the memory starts over
/// rather than track recency on the hot path. API keys are remembered under their SHA-256
/// (<see cref="CredentialHash"/>); access tokens, short-lived, as they are (<see cref="TokenComparer"/>).
/// </summary>
internal sealed class CredentialCache<T>(int max, IEqualityComparer<string>? comparer = null)
{
    private readonly ConcurrentDictionary<string, T> _entries = new(comparer ?? StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGet(string hash, out T value) => _entries.TryGetValue(hash, out value!);

    public void Set(string hash, T value)
    {
        if (max == 0)
        {
            return;
        }

        if (_entries.Count >= max)
        {
            _entries.Clear();
        }

        _entries[hash] = value;
    }

    public void Remove(string hash) => _entries.TryRemove(hash, out _);

    public void Clear() => _entries.Clear();
}

/// <summary>
/// Compares tokens in full but hashes only their last 64 characters (inside the signature, which
/// differs for every token signed): cheaper than hashing a whole token on every request. The
/// server's own verified-token cache does the same (ADR 0006).
/// </summary>
internal sealed class TokenComparer : IEqualityComparer<string>
{
    public static readonly TokenComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string token) =>
        string.GetHashCode(token.AsSpan(Math.Max(0, token.Length - 64)), StringComparison.Ordinal);
}

/// <summary>The SHA-256 of a credential, as 64 hex characters: the only form in which a credential is kept.</summary>
internal static class CredentialHash
{
    public static string Of(string credential)
    {
        var length = Encoding.UTF8.GetByteCount(credential); // a token's or key's length: they are ASCII
        byte[]? rented = null;
        Span<byte> buffer = length <= 4096 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(credential, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return Convert.ToHexString(hash);
        }
        finally
        {
            if (rented is not null)
            {
                CryptographicOperations.ZeroMemory(rented);
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
