using AuthPlatform.Application.Common.Options;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Infrastructure.Tests;

/// <summary>
/// The validator's memory of revoked access tokens and ended sessions (and, through the same
/// <c>ExpiringKeys</c> store, of deleted clients): held exactly until no token it concerns can be
/// valid, and pruned without dropping a live entry.
/// </summary>
public sealed class RevokedAccessTokenCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly JwtOptions _options = new();
    private readonly RevokedAccessTokenCache _cache;
    private readonly RevokedClientCache _clients;

    public RevokedAccessTokenCacheTests()
    {
        _cache = new RevokedAccessTokenCache(Options.Create(_options), _clock);
        _clients = new RevokedClientCache(Options.Create(_options), _clock);
    }

    [Fact]
    public void RememberToken_IsRevokedUntilItsExpiryPlusTheSkewThenForgotten()
    {
        var exp = _clock.GetUtcNow().AddMinutes(10);
        _cache.RememberToken("jti-1", exp);

        _clock.Advance(TimeSpan.FromMinutes(10) + _options.ClockSkew);
        Assert.True(_cache.IsRevoked("jti-1", null));
        Assert.False(_cache.IsRevoked("jti-2", null));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.IsRevoked("jti-1", null));
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void RememberSession_IsRevokedForAnAccessTokensLifetimeAndTheSkew()
    {
        var session = Guid.NewGuid();
        _cache.RememberSession(session, _clock.GetUtcNow());

        _clock.Advance(_options.AccessTokenLifetime + _options.ClockSkew);
        Assert.True(_cache.IsRevoked(null, session));
        Assert.False(_cache.IsRevoked(null, Guid.NewGuid()));
    }

    [Fact]
    public void RevokedClient_IsRefusedUntilItsLastTokenHasExpired()
    {
        var issued = _clock.GetUtcNow();
        _clients.Remember("sa_deleted", _clock.GetUtcNow());

        _clock.Advance(_options.AccessTokenLifetime + _options.ClockSkew);
        Assert.True(_clients.IsRevoked("sa_deleted", issued));
        Assert.True(_clients.IsRevoked("sa_deleted", null));
        Assert.False(_clients.IsRevoked("sa_other", issued));

        _clock.Advance(_clients.Horizon);
        Assert.False(_clients.IsRevoked("sa_deleted", issued));
    }

    [Fact]
    public void RevokedClient_RegisteredAgainUnderItsId_TokensIssuedAfterTheDeletionPass()
    {
        var deletedAt = _clock.GetUtcNow();
        _clients.Remember("oc_AuthPlatformCommandLine", deletedAt);

        Assert.True(_clients.IsRevoked("oc_AuthPlatformCommandLine", deletedAt));
        Assert.False(_clients.IsRevoked("oc_AuthPlatformCommandLine", deletedAt.AddSeconds(1)));
    }

    [Fact]
    public void Pruning_PastTheThreshold_DropsExpiredEntriesAndKeepsLiveOnes()
    {
        const int many = 50_001;
        for (var i = 0; i < many; i++)
        {
            _cache.RememberToken($"short-{i}", _clock.GetUtcNow().AddMinutes(1));
        }

        // Past the threshold with nothing expired: nothing is dropped.
        Assert.Equal(many, _cache.Count);
        Assert.True(_cache.IsRevoked("short-0", null));

        _clock.Advance(TimeSpan.FromMinutes(2) + _options.ClockSkew);
        for (var i = 0; i < many; i++)
        {
            _cache.RememberToken($"long-{i}", _clock.GetUtcNow().AddHours(1));
        }

        // The first prune (at 50,001 live entries) set the next one at twice that: one more add
        // passes it, and that prune drops the expired entries and keeps every live one.
        Assert.Equal(2 * many, _cache.Count);
        _cache.RememberToken("one-more", _clock.GetUtcNow().AddHours(1));
        Assert.Equal(many + 1, _cache.Count);
        Assert.True(_cache.IsRevoked("long-0", null));
        Assert.True(_cache.IsRevoked($"long-{many - 1}", null));
    }
}
