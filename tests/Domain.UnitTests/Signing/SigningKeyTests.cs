using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Signing;

namespace AuthPlatform.Domain.UnitTests.Signing;

public sealed class SigningKeyTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private static SigningKey NewKey(DateTimeOffset? activatesAt = null) =>
        SigningKey.Create("kid-1", "ES256", "{\"kty\":\"EC\"}", "protected-private", Now, activatesAt ?? Now + TimeSpan.FromMinutes(10));

    [Fact]
    public void Create_WithValidInput_SetsPhases()
    {
        var activatesAt = Now + TimeSpan.FromMinutes(10);

        var key = NewKey(activatesAt);

        Assert.Equal("kid-1", key.KeyId);
        Assert.Equal("ES256", key.Algorithm);
        Assert.Equal(Now, key.CreatedAt);
        Assert.Equal(activatesAt, key.ActivatesAt);
        Assert.Null(key.RetiredAt);
        Assert.Null(key.PublishedUntil);
    }

    [Fact]
    public void Create_WithActivatesAtBeforeNow_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => NewKey(Now - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Create_WithActivatesAtEqualToNow_Succeeds()
    {
        var key = NewKey(Now);

        Assert.True(key.CanSign(Now));
    }

    [Fact]
    public void Create_WithNonUtcTime_ThrowsDomainException()
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1));

        Assert.Throws<DomainException>(() => SigningKey.Create("kid-1", "ES256", "{}", "p", local, local + TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("", "ES256", "{}", "p")]
    [InlineData("kid", " ", "{}", "p")]
    [InlineData("kid", "ES256", "", "p")]
    [InlineData("kid", "ES256", "{}", "")]
    public void Create_WithBlankPart_ThrowsDomainException(string kid, string alg, string jwk, string privateKey)
    {
        Assert.Throws<DomainException>(() => SigningKey.Create(kid, alg, jwk, privateKey, Now, Now));
    }

    [Fact]
    public void CanSign_BeforeActivatesAt_False()
    {
        var key = NewKey(Now + TimeSpan.FromMinutes(10));

        Assert.False(key.CanSign(Now));
        Assert.False(key.CanSign(Now + TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1)));
        Assert.True(key.CanSign(Now + TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void CanSign_AfterRetiredAt_False()
    {
        var key = NewKey(Now);
        var retireAt = Now + TimeSpan.FromDays(1);

        key.Retire(retireAt, TokenLifetime);

        Assert.True(key.CanSign(retireAt - TimeSpan.FromTicks(1)));
        Assert.False(key.CanSign(retireAt));
        Assert.False(key.CanSign(retireAt + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Retire_Always_PublishesUntilRetirePlusTokenLifetime()
    {
        var key = NewKey(Now);
        var retireAt = Now + TimeSpan.FromDays(1);

        key.Retire(retireAt, TokenLifetime);

        Assert.Equal(retireAt, key.RetiredAt);
        Assert.Equal(retireAt + TokenLifetime, key.PublishedUntil);
    }

    [Fact]
    public void Retire_AgainLater_KeepsEarlierRetirement()
    {
        var key = NewKey(Now);
        var first = Now + TimeSpan.FromDays(1);
        key.Retire(first, TokenLifetime);

        key.Retire(first + TimeSpan.FromDays(1), TimeSpan.FromDays(5));

        Assert.Equal(first, key.RetiredAt);
        Assert.Equal(first + TokenLifetime, key.PublishedUntil);
    }

    [Fact]
    public void Retire_AgainEarlier_MovesRetirementEarlier()
    {
        var key = NewKey(Now);
        key.Retire(Now + TimeSpan.FromDays(2), TokenLifetime);
        var earlier = Now + TimeSpan.FromDays(1);

        key.Retire(earlier, TokenLifetime);

        Assert.Equal(earlier, key.RetiredAt);
        Assert.Equal(earlier + TokenLifetime, key.PublishedUntil);
    }

    [Fact]
    public void IsPublished_BeforeRetirement_TrueEvenBeforeActivation()
    {
        var key = NewKey(Now + TimeSpan.FromMinutes(10));

        Assert.True(key.IsPublished(Now));
        Assert.False(key.CanSign(Now));
    }

    [Fact]
    public void IsPublished_AfterRetirement_TrueUntilPublishedUntil()
    {
        var key = NewKey(Now);
        var retireAt = Now + TimeSpan.FromDays(1);
        key.Retire(retireAt, TokenLifetime);

        Assert.True(key.IsPublished(retireAt));
        Assert.True(key.IsPublished(retireAt + TokenLifetime - TimeSpan.FromTicks(1)));
        Assert.False(key.IsPublished(retireAt + TokenLifetime));
        Assert.False(key.IsPublished(retireAt + TokenLifetime + TimeSpan.FromDays(1)));
    }
}
