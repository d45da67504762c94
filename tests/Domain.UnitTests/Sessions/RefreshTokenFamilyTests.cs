using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Sessions;

namespace AuthPlatform.Domain.UnitTests.Sessions;

public sealed class RefreshTokenFamilyTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly SessionLifetimes Lifetimes = new(TimeSpan.FromDays(30), TimeSpan.FromDays(90));

    private static RefreshTokenFamily StartFamily(string hash = "h0", SessionLifetimes? lifetimes = null, DateTimeOffset? at = null) =>
        RefreshTokenFamily.Start(
            Guid.NewGuid(), Guid.NewGuid(), hash, ScopeSet.Parse("profile api_keys:read"), ["pwd"], "203.0.113.7", "test-agent",
            lifetimes ?? Lifetimes, at ?? Now);

    private static RefreshToken Token(RefreshTokenFamily family, string hash) => family.Tokens.Single(t => t.TokenHash == hash);

    private static RefreshToken Current(RefreshTokenFamily family) => family.Tokens.Single(t => t.Id == family.CurrentTokenId);

    /// <summary>The family as the store's atomic revocation left it (ADR 0009): the aggregate never revokes itself.</summary>
    private static RefreshTokenFamily RevokedInStore(RefreshTokenFamily family, string reason, DateTimeOffset at) =>
        family
            .WithStored(nameof(RefreshTokenFamily.RevokedAt), at)
            .WithStored(nameof(RefreshTokenFamily.RevocationReason), reason)
            .WithStored(nameof(RefreshTokenFamily.Version), family.Version + 1);

    [Fact]
    public void Start_WithValidInput_IssuesOneCurrentToken()
    {
        var id = Guid.NewGuid();
        var userId = Guid.NewGuid();

        var family = RefreshTokenFamily.Start(id, userId, "h0", ScopeSet.Parse("profile admin"), ["pwd", "otp"], "198.51.100.1", "agent", Lifetimes, Now);

        var token = Assert.Single(family.Tokens);
        Assert.Equal(id, family.Id);
        Assert.Equal(userId, family.UserId);
        Assert.Equal(token.Id, family.CurrentTokenId);
        Assert.Equal("h0", token.TokenHash);
        Assert.Equal(id, token.FamilyId);
        Assert.Equal(Now, token.IssuedAt);
        Assert.Null(token.RedeemedAt);
        Assert.Equal(Now + Lifetimes.RefreshTokenLifetime, token.ExpiresAt);
        Assert.Equal(token.ExpiresAt, family.CurrentTokenExpiresAt);
        Assert.Equal(Now + Lifetimes.AbsoluteLifetime, family.AbsoluteExpiresAt);
        Assert.Equal(Now, family.CreatedAt);
        Assert.Equal(Now, family.AuthenticatedAt);
        Assert.Equal(Now, family.LastUsedAt);
        Assert.Equal(["profile", "admin"], family.Scopes);
        Assert.Equal("pwd otp", family.AuthenticationMethods);
        Assert.Equal("198.51.100.1", family.IpAddress);
        Assert.Equal("agent", family.UserAgent);
        Assert.Null(family.RevokedAt);
        Assert.True(family.IsActive(Now));
        Assert.Empty(family.DequeueDomainEvents());
    }

    [Fact]
    public void Start_WithLongClientStrings_TruncatesThem()
    {
        var family = RefreshTokenFamily.Start(
            Guid.NewGuid(), Guid.NewGuid(), "h0", ScopeSet.Empty, [], new string('1', 100), new string('a', 600), Lifetimes, Now);

        Assert.Equal(64, family.IpAddress!.Length);
        Assert.Equal(512, family.UserAgent!.Length);
    }

    [Fact]
    public void Start_WithEmptyIdOrUserId_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() =>
            RefreshTokenFamily.Start(Guid.Empty, Guid.NewGuid(), "h0", ScopeSet.Empty, ["pwd"], null, null, Lifetimes, Now));
        Assert.Throws<DomainException>(() =>
            RefreshTokenFamily.Start(Guid.NewGuid(), Guid.Empty, "h0", ScopeSet.Empty, ["pwd"], null, null, Lifetimes, Now));
    }

    [Fact]
    public void Start_WithNonUtcTime_ThrowsDomainException()
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));

        Assert.Throws<DomainException>(() => StartFamily(at: local));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Start_WithBlankTokenHash_ThrowsDomainException(string hash)
    {
        Assert.Throws<DomainException>(() => StartFamily(hash));
    }

    [Fact]
    public void Rotate_WithCurrentToken_RotatesAndRedeemsPresentedToken()
    {
        var family = StartFamily();
        var first = Current(family);
        var version = family.Version;
        var at = Now + TimeSpan.FromHours(1);

        var outcome = family.Rotate("h0", "h1", Lifetimes, at);

        Assert.Equal(RotationOutcome.Rotated, outcome);
        Assert.Equal(at, first.RedeemedAt);
        var successor = Current(family);
        Assert.NotEqual(first.Id, successor.Id);
        Assert.Equal("h1", successor.TokenHash);
        Assert.Null(successor.RedeemedAt);
        Assert.Equal(at, successor.IssuedAt);
        Assert.Equal(at + Lifetimes.RefreshTokenLifetime, successor.ExpiresAt);
        Assert.Equal(successor.ExpiresAt, family.CurrentTokenExpiresAt);
        Assert.Equal(at, family.LastUsedAt);
        Assert.Equal(Now, family.AuthenticatedAt);
        Assert.Equal(version + 1, family.Version);
        Assert.Equal(2, family.Tokens.Count);
        Assert.Equal(new TokenRefreshed(family.UserId, family.Id), Assert.Single(family.DequeueDomainEvents()));
    }

    [Fact]
    public void Rotate_InSequence_EachSuccessorBecomesCurrent()
    {
        var family = StartFamily();

        for (var i = 0; i < 5; i++)
        {
            var outcome = family.Rotate($"h{i}", $"h{i + 1}", Lifetimes, Now + TimeSpan.FromMinutes(i + 1));
            Assert.Equal(RotationOutcome.Rotated, outcome);
        }

        Assert.Equal("h5", Current(family).TokenHash);
        Assert.Equal(5, family.Tokens.Count(t => t.RedeemedAt is not null));
        Assert.Single(family.Tokens, t => t.RedeemedAt is null);
        Assert.Null(family.RevokedAt);
    }

    [Fact]
    public void Rotate_WithRedeemedToken_ReportsReuseAndChangesNothing()
    {
        var family = StartFamily();
        family.Rotate("h0", "h1", Lifetimes, Now + TimeSpan.FromMinutes(1));
        family.DequeueDomainEvents();
        var version = family.Version;
        var current = Current(family);

        var outcome = family.Rotate("h0", "h2", Lifetimes, Now + TimeSpan.FromMinutes(2));

        // The caller revokes the family with the store's atomic update; the aggregate only reports.
        Assert.Equal(RotationOutcome.ReuseDetected, outcome);
        Assert.Equal(new RefreshTokenReuseDetected(family.UserId, family.Id), Assert.Single(family.DequeueDomainEvents()));
        Assert.Null(family.RevokedAt);
        Assert.Null(family.RevocationReason);
        Assert.Equal(version, family.Version);
        Assert.Same(current, Current(family));
        Assert.Null(current.RedeemedAt);
        Assert.Equal(Now + TimeSpan.FromMinutes(1), family.LastUsedAt);
        Assert.DoesNotContain(family.Tokens, t => t.TokenHash == "h2");
    }

    [Fact]
    public void Rotate_WithNewestTokenAfterTheStoreRevokedForReuse_ReturnsRevokedAndRaisesNothing()
    {
        var family = StartFamily();
        family.Rotate("h0", "h1", Lifetimes, Now + TimeSpan.FromMinutes(1));
        RevokedInStore(family, RevocationReasons.Reuse, Now + TimeSpan.FromMinutes(2));
        family.DequeueDomainEvents();

        var outcome = family.Rotate("h1", "h2", Lifetimes, Now + TimeSpan.FromMinutes(3));

        Assert.Equal(RotationOutcome.Revoked, outcome);
        Assert.Null(Token(family, "h1").RedeemedAt);
        Assert.Equal(RevocationReasons.Reuse, family.RevocationReason);
        Assert.Equal(Now + TimeSpan.FromMinutes(2), family.RevokedAt);
        Assert.DoesNotContain(family.Tokens, t => t.TokenHash == "h2");
        Assert.Empty(family.DequeueDomainEvents());
    }

    [Fact]
    public void Rotate_WithRedeemedTokenOnRevokedFamily_StillReportsReuse()
    {
        var family = StartFamily();
        family.Rotate("h0", "h1", Lifetimes, Now + TimeSpan.FromMinutes(1));
        RevokedInStore(family, RevocationReasons.Logout, Now + TimeSpan.FromMinutes(2));
        family.DequeueDomainEvents();
        var version = family.Version;

        var outcome = family.Rotate("h0", "h2", Lifetimes, Now + TimeSpan.FromMinutes(3));

        Assert.Equal(RotationOutcome.ReuseDetected, outcome);
        Assert.Equal(RevocationReasons.Logout, family.RevocationReason);
        Assert.Equal(version, family.Version);
        Assert.IsType<RefreshTokenReuseDetected>(Assert.Single(family.DequeueDomainEvents()));
    }

    [Fact]
    public void Rotate_WithCurrentTokenOfRevokedFamily_ReturnsRevokedAndRaisesNothing()
    {
        var family = RevokedInStore(StartFamily(), RevocationReasons.Logout, Now + TimeSpan.FromMinutes(1));

        var outcome = family.Rotate("h0", "h1", Lifetimes, Now + TimeSpan.FromMinutes(2));

        Assert.Equal(RotationOutcome.Revoked, outcome);
        Assert.Single(family.Tokens);
        Assert.Null(Token(family, "h0").RedeemedAt);
        Assert.Empty(family.DequeueDomainEvents());
    }

    [Fact]
    public void Rotate_WithExpiredToken_ReturnsExpiredWithoutRedeeming()
    {
        var family = StartFamily();
        var version = family.Version;
        var at = Now + Lifetimes.RefreshTokenLifetime;

        var outcome = family.Rotate("h0", "h1", Lifetimes, at);

        Assert.Equal(RotationOutcome.Expired, outcome);
        Assert.Null(Token(family, "h0").RedeemedAt);
        Assert.Single(family.Tokens);
        Assert.Equal(version, family.Version);
        Assert.Null(family.RevokedAt);
        Assert.False(family.IsActive(at));
        Assert.Empty(family.DequeueDomainEvents());
    }

    [Fact]
    public void Rotate_JustBeforeTokenExpiry_Rotates()
    {
        var family = StartFamily();

        var outcome = family.Rotate("h0", "h1", Lifetimes, Now + Lifetimes.RefreshTokenLifetime - TimeSpan.FromTicks(1));

        Assert.Equal(RotationOutcome.Rotated, outcome);
    }

    [Fact]
    public void Rotate_PastAbsoluteExpiry_ReturnsExpired()
    {
        // Sliding refreshes every 29 days keep each token alive, but the family ends at 90 days.
        var family = StartFamily();
        var at = Now;
        var i = 0;
        while (at + TimeSpan.FromDays(29) < family.AbsoluteExpiresAt)
        {
            at += TimeSpan.FromDays(29);
            Assert.Equal(RotationOutcome.Rotated, family.Rotate($"h{i}", $"h{i + 1}", Lifetimes, at));
            i++;
        }

        Assert.True(i >= 3);
        var current = Current(family);
        Assert.Equal(family.AbsoluteExpiresAt, current.ExpiresAt);

        var outcome = family.Rotate(current.TokenHash, "late", Lifetimes, family.AbsoluteExpiresAt);

        Assert.Equal(RotationOutcome.Expired, outcome);
        Assert.Null(current.RedeemedAt);
        Assert.False(family.IsActive(family.AbsoluteExpiresAt));
    }

    [Fact]
    public void Start_WithRefreshLifetimeBeyondAbsolute_CapsTokenExpiryAtAbsoluteExpiry()
    {
        var lifetimes = new SessionLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(7));

        var family = StartFamily(lifetimes: lifetimes);

        Assert.Equal(Now + TimeSpan.FromDays(7), family.AbsoluteExpiresAt);
        Assert.Equal(family.AbsoluteExpiresAt, Current(family).ExpiresAt);
        Assert.Equal(family.AbsoluteExpiresAt, family.CurrentTokenExpiresAt);
    }

    [Fact]
    public void Rotate_Always_NeverIssuesTokenBeyondAbsoluteExpiry()
    {
        var family = StartFamily();
        var at = Now;
        for (var i = 0; i < 20; i++)
        {
            at += TimeSpan.FromDays(4);
            if (family.Rotate($"h{i}", $"h{i + 1}", Lifetimes, at) != RotationOutcome.Rotated)
            {
                break;
            }
        }

        Assert.All(family.Tokens, t => Assert.True(t.ExpiresAt <= family.AbsoluteExpiresAt, $"{t.TokenHash} expires {t.ExpiresAt:O}"));
        Assert.Contains(family.Tokens, t => t.ExpiresAt == family.AbsoluteExpiresAt);
    }

    [Fact]
    public void Rotate_WithTokenNotInFamily_ThrowsDomainException()
    {
        var family = StartFamily();

        Assert.Throws<DomainException>(() => family.Rotate("unknown", "h1", Lifetimes, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Rotate_WithBlankNewHash_ThrowsWithoutChangingFamily(string newHash)
    {
        var family = StartFamily();
        var version = family.Version;
        var at = Now + TimeSpan.FromMinutes(1);

        Assert.Throws<DomainException>(() => family.Rotate("h0", newHash, Lifetimes, at));

        // A guard that throws must leave the aggregate as it was: the presented token still
        // current and unredeemed.
        Assert.Null(Token(family, "h0").RedeemedAt);
        Assert.Equal(Now, family.LastUsedAt);
        Assert.Equal(version, family.Version);
        Assert.Equal(RotationOutcome.Rotated, family.Rotate("h0", "h1", Lifetimes, at));
    }

    [Fact]
    public void RecordRevoked_Always_RaisesSessionRevokedWithTheReasonAndChangesNothing()
    {
        var family = StartFamily();
        var version = family.Version;

        family.RecordRevoked(RevocationReasons.RevokedByUser);

        // The store made the revocation (one conditional update); the family only reports it.
        Assert.Equal(new SessionRevoked(family.UserId, family.Id, RevocationReasons.RevokedByUser), Assert.Single(family.DequeueDomainEvents()));
        Assert.Null(family.RevokedAt);
        Assert.Equal(version, family.Version);
    }

    [Fact]
    public void IsActive_ForFreshFamily_TrueUntilCurrentTokenExpires()
    {
        var family = StartFamily();

        Assert.True(family.IsActive(Now));
        Assert.True(family.IsActive(family.CurrentTokenExpiresAt - TimeSpan.FromTicks(1)));
        Assert.False(family.IsActive(family.CurrentTokenExpiresAt));
    }

    [Fact]
    public void IsActive_AfterRevoke_False()
    {
        var family = RevokedInStore(StartFamily(), RevocationReasons.Logout, Now);

        Assert.False(family.IsActive(Now));
    }

    [Fact]
    public void IsActive_AfterRotation_FollowsNewTokenExpiry()
    {
        var family = StartFamily();
        var firstExpiry = family.CurrentTokenExpiresAt;

        family.Rotate("h0", "h1", Lifetimes, Now + TimeSpan.FromDays(20));

        Assert.True(family.IsActive(firstExpiry));
        Assert.False(family.IsActive(Now + TimeSpan.FromDays(50)));
    }
}
