using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Hashing;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class ApiKeyFormatTests
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static ApiKeyFormat Format(string prefix = "ap") => new(Options.Create(new ApiKeyOptions { Prefix = prefix }), new SecretGenerator());

    [Fact]
    public void Generate_Default_MatchesThePublishedShape()
    {
        var format = Format();

        for (var i = 0; i < 50; i++)
        {
            Assert.Matches("^ap_[0-9A-Za-z]{49}$", format.Generate().Key);
        }

        Assert.Equal(52, format.Length);
    }

    [Fact]
    public void Generate_CalledRepeatedly_NeverRepeats()
    {
        var format = Format();

        var keys = Enumerable.Range(0, 500).Select(_ => format.Generate().Key).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Generate_RandomPart_UsesTheWholeAlphabet()
    {
        var format = Format();

        var seen = Enumerable.Range(0, 200).SelectMany(_ => format.Generate().Key[3..(3 + ApiKeyFormat.RandomLength)]).ToHashSet();

        Assert.Equal(62, seen.Count);
    }

    [Fact]
    public void Generate_Prefix_IsTheFirstElevenCharactersOfTheKey()
    {
        var generated = Format().Generate();

        Assert.Equal(11, generated.Prefix.Length);
        Assert.Equal(generated.Key[..11], generated.Prefix);
    }

    [Fact]
    public void Generate_Hash_IsSha256HexOfTheWholeKey()
    {
        var generated = Format().Generate();

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(generated.Key)));
        Assert.Equal(expected, generated.Hash);
    }

    [Fact]
    public void IsWellFormed_GeneratedKeys_AreTrue()
    {
        var format = Format();

        for (var i = 0; i < 200; i++)
        {
            var key = format.Generate().Key;
            Assert.True(format.IsWellFormed(key), key);
            Assert.True(format.LooksLikeKey(key), key);
        }
    }

    /// <summary>
    /// Golden keys computed outside .NET (Python's zlib.crc32 over the ASCII random part, then
    /// 6 base62 digits, most significant first). They pin the wire format that already-issued keys
    /// and secret scanners depend on: the conventional CRC-32 value, as zlib computes it.
    /// </summary>
    [Theory]
    [InlineData("ap_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg37cCQ0")]
    [InlineData("ap_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0UsatS")]
    public void IsWellFormed_GoldenKey_IsTrue(string key)
    {
        Assert.True(Format().IsWellFormed(key));
    }

    [Fact]
    public void IsWellFormed_AnySingleCharacterChangeInRandomPartOrChecksum_IsFalse()
    {
        var format = Format();

        for (var round = 0; round < 3; round++)
        {
            var key = format.Generate().Key;
            for (var position = 3; position < key.Length; position++)
            {
                foreach (var replacement in Base62)
                {
                    if (replacement == key[position])
                    {
                        continue;
                    }

                    var typo = string.Concat(key.AsSpan(0, position), replacement.ToString(), key.AsSpan(position + 1));
                    Assert.False(format.IsWellFormed(typo), $"{typo} (position {position}) was accepted");
                    Assert.True(format.LooksLikeKey(typo));
                }
            }
        }
    }

    [Fact]
    public void IsWellFormed_TwoAdjacentCharactersSwapped_IsFalse()
    {
        var format = Format();
        var key = format.Generate().Key;

        for (var i = 3; i < key.Length - 1; i++)
        {
            if (key[i] == key[i + 1])
            {
                continue;
            }

            var chars = key.ToCharArray();
            (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
            Assert.False(format.IsWellFormed(new string(chars)));
        }
    }

    [Theory]
    [InlineData("ak_")]
    [InlineData("AP_")]
    [InlineData("ap-")]
    [InlineData("pa_")]
    public void IsWellFormed_WrongPrefix_IsFalse(string start)
    {
        var format = Format();
        var key = format.Generate().Key;

        var other = start + key[3..];

        Assert.False(format.IsWellFormed(other));
        Assert.False(format.LooksLikeKey(other));
    }

    [Fact]
    public void IsWellFormed_WrongLength_IsFalse()
    {
        var format = Format();
        var key = format.Generate().Key;

        Assert.False(format.IsWellFormed(key.AsSpan(0, key.Length - 1)));
        Assert.False(format.IsWellFormed(key + "0"));
        Assert.False(format.IsWellFormed(key.AsSpan(0, key.Length - ApiKeyFormat.ChecksumLength)));
        Assert.False(format.IsWellFormed(string.Empty));
        Assert.False(format.IsWellFormed("ap_"));
        Assert.False(format.LooksLikeKey(key + "0"));
    }

    [Theory]
    [InlineData('-')]
    [InlineData('_')]
    [InlineData('+')]
    [InlineData('/')]
    [InlineData(' ')]
    [InlineData('é')]
    [InlineData('٣')]
    public void IsWellFormed_NonBase62Character_IsFalse(char bad)
    {
        var format = Format();
        var key = format.Generate().Key;

        foreach (var position in new[] { 3, 20, key.Length - 1 })
        {
            var chars = key.ToCharArray();
            chars[position] = bad;
            Assert.False(format.IsWellFormed(new string(chars)));
            Assert.False(format.LooksLikeKey(new string(chars)));
        }
    }

    [Fact]
    public void Generate_ConfiguredPrefix_IsUsedAndRecognised()
    {
        var format = Format("acme2");

        var generated = format.Generate();

        Assert.Matches("^acme2_[0-9A-Za-z]{49}$", generated.Key);
        Assert.Equal(generated.Key[..14], generated.Prefix);
        Assert.True(format.IsWellFormed(generated.Key));
        Assert.False(Format().IsWellFormed(generated.Key));
        Assert.False(format.IsWellFormed(Format().Generate().Key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopq")]
    [InlineData("AP")]
    [InlineData("a_b")]
    [InlineData("ap-")]
    [InlineData("ap ")]
    [InlineData("äp")]
    public void Constructor_InvalidPrefix_Throws(string prefix)
    {
        Assert.Throws<InvalidOperationException>(() => Format(prefix));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("k9")]
    public void Constructor_ValidPrefixAtTheLimits_IsAccepted(string prefix)
    {
        var format = Format(prefix);

        Assert.True(format.IsWellFormed(format.Generate().Key));
    }
}
