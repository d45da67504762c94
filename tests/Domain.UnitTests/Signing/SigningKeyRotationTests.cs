using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Signing;

namespace AuthPlatform.Domain.UnitTests.Signing;

public sealed class SigningKeyRotationTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly TimeSpan Delay = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly SigningKeyRotation Rotation = new(Delay, TokenLifetime, Skew);

    private static SigningKey Key(string kid, DateTimeOffset createdAt, DateTimeOffset? activatesAt = null) =>
        SigningKey.Create(kid, "ES256", "{\"kty\":\"EC\"}", "protected-private", createdAt, activatesAt ?? createdAt);

    [Theory]
    [InlineData(-1, 3600, 30)]
    [InlineData(600, 0, 30)]
    [InlineData(600, -1, 30)]
    [InlineData(600, 3600, -1)]
    public void Constructor_WithInvalidLifetime_ThrowsDomainException(int delaySeconds, int lifetimeSeconds, int skewSeconds)
    {
        Assert.Throws<DomainException>(() => new SigningKeyRotation(
            TimeSpan.FromSeconds(delaySeconds), TimeSpan.FromSeconds(lifetimeSeconds), TimeSpan.FromSeconds(skewSeconds)));
    }

    [Fact]
    public void Constructor_WithZeroDelayAndSkew_Succeeds()
    {
        var rotation = new SigningKeyRotation(TimeSpan.Zero, TokenLifetime, TimeSpan.Zero);

        Assert.Equal(Now, rotation.ActivationOfNextKey(Now));
        Assert.Equal(TokenLifetime, rotation.PublishedAfterRetirement);
    }

    [Fact]
    public void PublishedAfterRetirement_Always_IsTokenLifetimePlusSkew()
    {
        Assert.Equal(TokenLifetime + Skew, Rotation.PublishedAfterRetirement);
    }

    [Fact]
    public void ActivationOfNextKey_Always_IsNowPlusDelay()
    {
        Assert.Equal(Now + Delay, Rotation.ActivationOfNextKey(Now));
    }

    [Fact]
    public void ActivationOfNextKey_WithNonUtcTime_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => Rotation.ActivationOfNextKey(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Rotate_WithCurrentKey_RetiresItWhenTheNewKeyActivates()
    {
        var current = Key("old", Now - TimeSpan.FromDays(30));
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        var retired = Rotation.Rotate([current], next);

        Assert.Same(current, Assert.Single(retired));
        Assert.Equal(Now + Delay, current.RetiredAt);
        Assert.Equal(Now + Delay + TokenLifetime + Skew, current.PublishedUntil);
        Assert.True(current.CanSign(Now + Delay - TimeSpan.FromTicks(1)));
        Assert.False(current.CanSign(Now + Delay));
        Assert.True(next.CanSign(Now + Delay));
    }

    [Fact]
    public void Rotate_WithCurrentKey_LeavesTheNewKeyUnretiredAndPublished()
    {
        var current = Key("old", Now - TimeSpan.FromDays(30));
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        Rotation.Rotate([current], next);

        Assert.Null(next.RetiredAt);
        Assert.Null(next.PublishedUntil);
        Assert.True(next.IsPublished(Now));
        Assert.False(next.CanSign(Now));
    }

    [Fact]
    public void Rotate_WithKeyAlreadyRetired_KeepsItsRetirement()
    {
        var earlier = Key("earlier", Now - TimeSpan.FromDays(60));
        var earlierRetirement = Now - TimeSpan.FromDays(30);
        earlier.Retire(earlierRetirement, TokenLifetime);
        var current = Key("old", Now - TimeSpan.FromDays(30));
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        var retired = Rotation.Rotate([earlier, current], next);

        Assert.Same(current, Assert.Single(retired));
        Assert.Equal(earlierRetirement, earlier.RetiredAt);
        Assert.Equal(earlierRetirement + TokenLifetime, earlier.PublishedUntil);
    }

    [Fact]
    public void Rotate_WithKeyScheduledToRetireLater_KeepsItsScheduledRetirement()
    {
        // A key retired by an earlier rotation whose successor has not activated yet keeps its date.
        var scheduled = Key("scheduled", Now - TimeSpan.FromDays(30));
        var scheduledRetirement = Now + TimeSpan.FromHours(2);
        scheduled.Retire(scheduledRetirement, TokenLifetime);
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        var retired = Rotation.Rotate([scheduled], next);

        Assert.Empty(retired);
        Assert.Equal(scheduledRetirement, scheduled.RetiredAt);
    }

    [Fact]
    public void Rotate_WithSeveralCurrentKeys_RetiresEveryOneAtTheSameMoment()
    {
        var signing = Key("signing", Now - TimeSpan.FromDays(30));
        var pending = Key("pending", Now - TimeSpan.FromMinutes(1), Now + TimeSpan.FromMinutes(9));
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        var retired = Rotation.Rotate([signing, pending], next);

        Assert.Equal(["pending", "signing"], retired.Select(k => k.KeyId).Order(StringComparer.Ordinal));
        Assert.All([signing, pending], k => Assert.Equal(next.ActivatesAt, k.RetiredAt));
        Assert.All([signing, pending], k => Assert.Equal(next.ActivatesAt + TokenLifetime + Skew, k.PublishedUntil));
    }

    [Fact]
    public void Rotate_WithNoExistingKeys_RetiresNothing()
    {
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        Assert.Empty(Rotation.Rotate([], next));
        Assert.Null(next.RetiredAt);
    }

    [Fact]
    public void Rotate_WithNextAmongExistingKeys_ThrowsDomainException()
    {
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        Assert.Throws<DomainException>(() => Rotation.Rotate([next], next));
    }

    [Fact]
    public void Rotate_WithNextReusingAnExistingKid_ThrowsDomainExceptionAndRetiresNothing()
    {
        var current = Key("same", Now - TimeSpan.FromDays(30));
        var next = Key("same", Now, Rotation.ActivationOfNextKey(Now));

        Assert.Throws<DomainException>(() => Rotation.Rotate([current], next));
        Assert.Null(current.RetiredAt);
    }

    [Fact]
    public void Rotate_WithRetiredNextKey_ThrowsDomainException()
    {
        var current = Key("old", Now - TimeSpan.FromDays(30));
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));
        next.Retire(Now + TimeSpan.FromDays(1), TokenLifetime);

        Assert.Throws<DomainException>(() => Rotation.Rotate([current], next));
        Assert.Null(current.RetiredAt);
    }

    [Fact]
    public void Rotate_WithNullArgument_ThrowsDomainException()
    {
        var next = Key("new", Now, Rotation.ActivationOfNextKey(Now));

        Assert.Throws<DomainException>(() => Rotation.Rotate(null!, next));
        Assert.Throws<DomainException>(() => Rotation.Rotate([], null!));
    }

    [Fact]
    public void NeedsFirstKey_WithNoKeys_True()
    {
        Assert.True(SigningKeyRotation.NeedsFirstKey([], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithKeyThatCanSign_False()
    {
        Assert.False(SigningKeyRotation.NeedsFirstKey([Key("signing", Now - TimeSpan.FromDays(1))], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithKeyPendingActivation_False()
    {
        var pending = Key("pending", Now - TimeSpan.FromMinutes(1), Now + TimeSpan.FromMinutes(9));

        Assert.False(SigningKeyRotation.NeedsFirstKey([pending], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithOnlyRetiredKeys_True()
    {
        var retired = Key("retired", Now - TimeSpan.FromDays(30));
        retired.Retire(Now - TimeSpan.FromDays(1), TokenLifetime);

        Assert.True(SigningKeyRotation.NeedsFirstKey([retired], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithKeyRetiringLater_False()
    {
        // Still signing until its retirement, so no new key is needed yet.
        var retiring = Key("retiring", Now - TimeSpan.FromDays(30));
        retiring.Retire(Now + TimeSpan.FromMinutes(5), TokenLifetime);

        Assert.False(SigningKeyRotation.NeedsFirstKey([retiring], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithKeyRetiredAtNow_True()
    {
        var retired = Key("retired", Now - TimeSpan.FromDays(30));
        retired.Retire(Now, TokenLifetime);

        Assert.True(SigningKeyRotation.NeedsFirstKey([retired], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithScheduledKeyThatNeverSigns_True()
    {
        // Created to activate later but retired at its creation: it will never sign, so it does not count.
        var neverSigns = Key("never", Now - TimeSpan.FromMinutes(1), Now + TimeSpan.FromMinutes(9));
        neverSigns.Retire(Now - TimeSpan.FromMinutes(1), TokenLifetime);

        Assert.True(SigningKeyRotation.NeedsFirstKey([neverSigns], Now));
    }

    [Fact]
    public void NeedsFirstKey_WithNonUtcTime_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => SigningKeyRotation.NeedsFirstKey([], new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void NeedsFirstKey_WithNullKeys_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => SigningKeyRotation.NeedsFirstKey(null!, Now));
    }
}
