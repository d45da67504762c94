using AuthPlatform.Application.Common.Options;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class SecurityStampCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SecurityStampCache _cache;
    private readonly Guid _user = Guid.NewGuid();

    public SecurityStampCacheTests() => _cache = new SecurityStampCache(Options.Create(new JwtOptions()), _clock);

    [Fact]
    public void Accepts_UserWhoseStampDidNotChangeRecently_AcceptsAnyFingerprint()
    {
        _cache.Remember(Guid.NewGuid(), "other-user", _clock.GetUtcNow());

        Assert.True(_cache.Accepts(_user, "anything"));
        Assert.True(_cache.Accepts(_user, null)); // a token from before stamps were carried
    }

    [Fact]
    public void Accepts_AfterARotation_OnlyTheCurrentFingerprint()
    {
        _cache.Remember(_user, "new", _clock.GetUtcNow());

        Assert.True(_cache.Accepts(_user, "new"));
        Assert.False(_cache.Accepts(_user, "old"));
        Assert.False(_cache.Accepts(_user, null));
    }

    [Fact]
    public void Remember_TwoRotationsReportedOutOfOrder_KeepsTheLaterOne()
    {
        var now = _clock.GetUtcNow();
        _cache.Remember(_user, "second", now.AddSeconds(1));
        _cache.Remember(_user, "first", now);

        Assert.True(_cache.Accepts(_user, "second"));
        Assert.False(_cache.Accepts(_user, "first"));
    }

    [Fact]
    public void Accepts_OnceEveryTokenOfTheOldStampHasExpired_ForgetsTheRotation()
    {
        _cache.Remember(_user, "new", _clock.GetUtcNow());

        _clock.Advance(_cache.Horizon - TimeSpan.FromSeconds(1));
        Assert.False(_cache.Accepts(_user, "old"));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(_cache.Accepts(_user, "old"));
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void Horizon_Always_CoversTheAccessTokenLifetimeAndTheSkew()
    {
        var jwt = new JwtOptions();

        Assert.True(_cache.Horizon >= jwt.AccessTokenLifetime + jwt.ClockSkew);
    }
}
