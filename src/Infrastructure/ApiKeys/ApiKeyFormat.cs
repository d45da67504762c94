using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Security;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.ApiKeys;

/// <summary>Configuration section <c>ApiKeys</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "ApiKeys";

    /// <summary>What every key starts with, before an underscore: lowercase letters and digits, 2 to 16.</summary>
    public string Prefix { get; set; } = "ap";

    /// <summary>How long a verified key is trusted from memory before the database is asked again.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an unknown (well-formed) key is remembered as unknown.</summary>
    public TimeSpan NegativeCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one <c>last_used_at</c> write per key per this interval.</summary>
    public TimeSpan LastUsedWriteInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The key format, in the manner of GitHub's tokens: <c>{prefix}_{43 random base62}{6 base62 CRC-32}</c>.
/// 43 base62 characters carry 256 bits from the CSPRNG; the checksum lets a mistyped key be
/// refused without a database read and lets secret scanners recognise leaked keys.
/// </summary>
public sealed class ApiKeyFormat : IApiKeyGenerator
{
    public const int RandomLength = 43;
    public const int ChecksumLength = 6;
    private const int DisplayLength = 8;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly string _start;
    private readonly ISecretGenerator _hasher;

    public ApiKeyFormat(IOptions<ApiKeyOptions> options, ISecretGenerator hasher)
    {
        var prefix = options.Value.Prefix;
        if (prefix.Length is < 2 or > 16 || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new InvalidOperationException($"ApiKeys:Prefix '{prefix}' is invalid: use 2 to 16 lowercase letters or digits.");
        }

        _start = prefix + "_";
        _hasher = hasher;
    }

    public int Length => _start.Length + RandomLength + ChecksumLength;

    public GeneratedApiKey Generate()
    {
        var random = RandomNumberGenerator.GetString(Alphabet, RandomLength);
        var key = _start + random + Checksum(random);
        return new GeneratedApiKey(key, _start + random[..DisplayLength], _hasher.Hash(key));
    }

    /// <summary>True when the text starts like one of our keys (<c>{prefix}_</c>): it is then judged as a key.</summary>
    public bool HasKeyPrefix(ReadOnlySpan<char> text) => text.StartsWith(_start, StringComparison.Ordinal);

    /// <summary>True when the text has our key's shape (prefix, length, alphabet), whatever its checksum.</summary>
    public bool LooksLikeKey(ReadOnlySpan<char> text) =>
        text.Length == Length && text.StartsWith(_start, StringComparison.Ordinal) && IsBase62(text[_start.Length..]);

    /// <summary>Shape and checksum: a typo fails here, before any lookup (no allocation).</summary>
    public bool IsWellFormed(ReadOnlySpan<char> text)
    {
        if (!LooksLikeKey(text))
        {
            return false;
        }

        var body = text[_start.Length..];
        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(body[..RandomLength], expected);
        return CryptographicOperations.FixedTimeEquals(
            MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(body[RandomLength..]));
    }

    private static string Checksum(ReadOnlySpan<char> random)
    {
        Span<char> chars = stackalloc char[ChecksumLength];
        WriteChecksum(random, chars);
        return new string(chars);
    }

    private static void WriteChecksum(ReadOnlySpan<char> random, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[RandomLength];
        Encoding.ASCII.GetBytes(random, ascii);
        var crc = Crc32.HashToUInt32(ascii); // the conventional CRC-32 value (zlib's crc32)
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(crc % 62)];
            crc /= 62;
        }
    }

    private static bool IsBase62(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
