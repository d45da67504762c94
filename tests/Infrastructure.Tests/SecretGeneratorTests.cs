using AuthPlatform.Infrastructure.Hashing;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class SecretGeneratorTests
{
    private readonly SecretGenerator _generator = new();

    [Fact]
    public void NewSecret_With32Bytes_Gives43Base64UrlCharacters()
    {
        var secret = _generator.NewSecret(32);

        Assert.Equal(43, secret.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal(32, Base64UrlDecodedLength(secret));
    }

    [Fact]
    public void NewSecret_Default_Is32Bytes()
    {
        Assert.Equal(43, _generator.NewSecret().Length);
    }

    [Theory]
    [InlineData(16, 22)]
    [InlineData(64, 86)]
    public void NewSecret_WithByteCount_GivesMatchingLength(int bytes, int chars)
    {
        Assert.Equal(chars, _generator.NewSecret(bytes).Length);
    }

    [Fact]
    public void NewSecret_CalledRepeatedly_NeverRepeats()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => _generator.NewSecret()).ToList();

        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Hash_Always_Is64LowercaseHex()
    {
        var hash = _generator.Hash(_generator.NewSecret());

        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void Hash_SameSecret_IsDeterministic()
    {
        var secret = _generator.NewSecret();

        Assert.Equal(_generator.Hash(secret), _generator.Hash(secret));
        Assert.NotEqual(_generator.Hash(secret), _generator.Hash(secret + "x"));
    }

    [Fact]
    public void Hash_KnownInput_MatchesSha256TestVector()
    {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", _generator.Hash("abc"));
    }

    private static int Base64UrlDecodedLength(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Convert.FromBase64String(padded).Length;
    }

    [Theory]
    [InlineData("")]
    [InlineData("ap_live_0123456789abcdefghijABCDEFGHIJ")]
    [InlineData("pâssword with non-ASCII: ✓ 名前")]
    public void Hash_OfASpan_IsTheSameSha256AsTheHexHash(string secret)
    {
        Span<byte> digest = stackalloc byte[32];
        _generator.Hash(secret.AsSpan(), digest);

        Assert.Equal(_generator.Hash(secret), Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_OfASpanLongerThanTheStackBuffer_IsStillTheSameSha256()
    {
        var secret = new string('é', 300);
        Span<byte> digest = stackalloc byte[32];
        _generator.Hash(secret.AsSpan(), digest);

        Assert.Equal(_generator.Hash(secret), Convert.ToHexStringLower(digest));
    }
}
