using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Hashing;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class RememberedKeysTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z"));

    private static KeyDigest Digest(string key) => KeyDigest.Of(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void TryGet_BeforeItsExpiry_FindsTheEntry_AndAfterIt_DoesNot()
    {
        var keys = new RememberedKeys<string>(10, _clock);
        keys.Set(Digest("a"), "entry a", TimeSpan.FromSeconds(60));

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.True(keys.TryGet(Digest("a"), out var found));
        Assert.Equal("entry a", found);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(keys.TryGet(Digest("a"), out _));
    }

    [Fact]
    public void Remove_And_Clear_ForgetEntries()
    {
        var keys = new RememberedKeys<string>(10, _clock);
        keys.Set(Digest("a"), "a", TimeSpan.FromMinutes(1));
        keys.Set(Digest("b"), "b", TimeSpan.FromMinutes(1));
        keys.Set(Digest("c"), "c", TimeSpan.FromMinutes(1));

        keys.Remove(Digest("a"));
        Assert.False(keys.TryGet(Digest("a"), out _));
        Assert.True(keys.TryGet(Digest("b"), out _));

        keys.Clear();
        Assert.False(keys.TryGet(Digest("b"), out _));
        Assert.False(keys.TryGet(Digest("c"), out _));
    }

    [Fact]
    public void Set_AtCapacity_DropsExpiredEntriesFirst()
    {
        var keys = new RememberedKeys<string>(2, _clock);
        keys.Set(Digest("short"), "short", TimeSpan.FromSeconds(1));
        keys.Set(Digest("long"), "long", TimeSpan.FromMinutes(1));
        _clock.Advance(TimeSpan.FromSeconds(2));

        keys.Set(Digest("new"), "new", TimeSpan.FromMinutes(1));

        Assert.True(keys.TryGet(Digest("long"), out _)); // kept: only the expired entry made room
        Assert.True(keys.TryGet(Digest("new"), out _));
    }

    [Fact]
    public void Set_AtCapacityWithNothingExpired_StartsOver_SoMemoryStaysBounded()
    {
        var keys = new RememberedKeys<string>(2, _clock);
        keys.Set(Digest("a"), "a", TimeSpan.FromMinutes(1));
        keys.Set(Digest("b"), "b", TimeSpan.FromMinutes(1));

        keys.Set(Digest("c"), "c", TimeSpan.FromMinutes(1));

        Assert.False(keys.TryGet(Digest("a"), out _));
        Assert.False(keys.TryGet(Digest("b"), out _));
        Assert.True(keys.TryGet(Digest("c"), out _));
    }

    [Fact]
    public void KeyDigest_TryParse_OfTheStoredHexHash_IsTheDigestOfTheKey()
    {
        var key = "ap_live_0123456789abcdefghijABCDEFGHIJ";
        var storedHash = new SecretGenerator().Hash(key);

        Assert.True(KeyDigest.TryParse(storedHash, out var parsed));
        Assert.Equal(Digest(key), parsed);
        Assert.NotEqual(Digest(key + "x"), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")]
    public void KeyDigest_TryParse_OfAnythingButSixtyFourHexDigits_IsFalse(string text)
    {
        Assert.False(KeyDigest.TryParse(text, out _));
    }
}
