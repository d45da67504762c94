// Longer than 150 lines because the cap, the link, rotation and revocation with the creator are one rule, each with its edge cases.
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.UnitTests.ApiKeys;

/// <summary>A key created with a key: linked to it, never outliving it, revoked with it.</summary>
public sealed class ApiKeyLineageTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid Owner = Guid.NewGuid();

    /// <summary>A stored key (its creation events already dispatched).</summary>
    private static ApiKey Stored(DateTimeOffset? expiresAt = null, ApiKey? createdBy = null, Guid? ownerId = null)
    {
        var key = Issue(expiresAt, createdBy, ownerId);
        key.DequeueDomainEvents();
        return key;
    }

    private static ApiKey Issue(DateTimeOffset? expiresAt = null, ApiKey? createdBy = null, Guid? ownerId = null, DateTimeOffset? now = null) =>
        ApiKey.Issue(
            Guid.NewGuid(), ownerId ?? Owner, "child", "ap_ChIlD000", $"hash-{Guid.NewGuid():N}", ScopeSet.Parse("profile"), expiresAt, now ?? Now, createdBy);

    [Fact]
    public void Issue_WithoutACreatingKey_HasNoCreator()
    {
        var key = Issue(Now.AddDays(1));

        Assert.Null(key.CreatedByKeyId);
        Assert.Equal(new ApiKeyCreated(key.Id, Owner, "ap_ChIlD000"), Assert.Single(key.DequeueDomainEvents()));
    }

    [Fact]
    public void Issue_WithACreatingKey_RecordsItAndRaisesApiKeyCreatedNamingIt()
    {
        var parent = Stored(Now.AddDays(1));

        var child = Issue(Now.AddHours(1), parent);

        Assert.Equal(parent.Id, child.CreatedByKeyId);
        Assert.Equal(new ApiKeyCreated(child.Id, Owner, "ap_ChIlD000", parent.Id), Assert.Single(child.DequeueDomainEvents()));
        Assert.Empty(parent.DequeueDomainEvents());
    }

    [Fact]
    public void Issue_WithoutExpiryFromAKeyExpiringIn65Seconds_GetsTheCreatorsExpiry()
    {
        var parent = Stored(Now.AddSeconds(65));

        var child = Issue(expiresAt: null, createdBy: parent, now: Now.AddSeconds(5));

        Assert.Equal(Now.AddSeconds(65), child.ExpiresAt);
    }

    [Fact]
    public void Issue_WithAnEarlierExpiryThanTheCreator_KeepsIt()
    {
        var parent = Stored(Now.AddDays(1));

        Assert.Equal(Now.AddHours(2), Issue(Now.AddHours(2), parent).ExpiresAt);
    }

    [Fact]
    public void Issue_WithTheCreatorsExactExpiry_Succeeds()
    {
        var parent = Stored(Now.AddDays(1));

        Assert.Equal(Now.AddDays(1), Issue(Now.AddDays(1), parent).ExpiresAt);
    }

    [Fact]
    public void Issue_WithAnExpiryOneTickAfterTheCreators_ThrowsDomainException()
    {
        var parent = Stored(Now.AddSeconds(65));

        Assert.Throws<DomainException>(() => Issue(Now.AddSeconds(65).AddTicks(1), parent));
    }

    [Fact]
    public void Issue_FromACreatorThatNeverExpires_KeepsTheAskedExpiryOrNone()
    {
        var parent = Stored();

        Assert.Null(Issue(null, parent).ExpiresAt);
        Assert.Equal(Now.AddYears(5), Issue(Now.AddYears(5), parent).ExpiresAt);
    }

    [Fact]
    public void AllowsExpiryOfKeyItCreates_AtAndAroundTheCreatorsExpiry_AllowsUpToItOnly()
    {
        var parent = Stored(Now.AddHours(1));

        Assert.True(parent.AllowsExpiryOfKeyItCreates(null));
        Assert.True(parent.AllowsExpiryOfKeyItCreates(Now.AddHours(1)));
        Assert.False(parent.AllowsExpiryOfKeyItCreates(Now.AddHours(1).AddTicks(1)));
        Assert.True(Stored().AllowsExpiryOfKeyItCreates(Now.AddYears(10)));
    }

    [Fact]
    public void Issue_FromARevokedCreator_ThrowsDomainException()
    {
        var parent = Stored(Now.AddDays(1));
        parent.Revoke(Now, Owner);

        Assert.Throws<DomainException>(() => Issue(null, parent));
    }

    [Fact]
    public void Issue_FromAnExpiredCreator_ThrowsDomainException()
    {
        var parent = Stored(Now.AddSeconds(65));

        Assert.Throws<DomainException>(() => Issue(null, parent, now: Now.AddSeconds(65)));
    }

    [Fact]
    public void Issue_FromAnotherOwnersKey_ThrowsDomainException()
    {
        var parent = Stored(Now.AddDays(1), ownerId: Guid.NewGuid());

        Assert.Throws<DomainException>(() => Issue(null, parent));
    }

    [Fact]
    public void Rotate_KeyCreatedWithAKey_SuccessorKeepsTheCreatorAndTheCappedExpiry()
    {
        var parent = Stored(Now.AddHours(1));
        var child = Stored(createdBy: parent);

        var successor = child.Rotate(Guid.NewGuid(), "ap_NeW00000", "hash-new", Now.AddMinutes(10));

        Assert.Equal(parent.Id, successor.CreatedByKeyId);
        Assert.Equal(Now.AddHours(1), successor.ExpiresAt);
        Assert.Equal(parent.Id, child.CreatedByKeyId);
    }

    [Fact]
    public void Rotate_KeyCreatedWithASession_SuccessorHasNoCreator()
    {
        var key = Stored(Now.AddHours(1));

        Assert.Null(key.Rotate(Guid.NewGuid(), "ap_NeW00000", "hash-new", Now).CreatedByKeyId);
    }

    [Fact]
    public void RevokeWithCreator_ActiveChild_RevokesItAndRaisesApiKeyRevokedNamingTheCreator()
    {
        var parent = Stored(Now.AddHours(1));
        var child = Stored(createdBy: parent);
        var actor = Guid.NewGuid();

        child.RevokeWithCreator(parent.Id, Now.AddMinutes(5), actor);

        Assert.Equal(Now.AddMinutes(5), child.RevokedAt);
        Assert.Equal(1, child.Version);
        Assert.Equal(new ApiKeyRevoked(child.Id, Owner, "ap_ChIlD000", actor, child.KeyHash, parent.Id), Assert.Single(child.DequeueDomainEvents()));
    }

    [Fact]
    public void RevokeWithCreator_AlreadyRevokedChild_KeepsTheFirstRevocationAndRaisesNothing()
    {
        var parent = Stored(Now.AddHours(1));
        var child = Stored(createdBy: parent);
        child.Revoke(Now, Owner);
        child.DequeueDomainEvents();

        child.RevokeWithCreator(parent.Id, Now.AddMinutes(5), Owner);

        Assert.Equal(Now, child.RevokedAt);
        Assert.Equal(1, child.Version);
        Assert.Empty(child.DequeueDomainEvents());
    }

    [Fact]
    public void RevokeWithCreator_AnotherKeyThanItsCreator_ThrowsAndLeavesItActive()
    {
        var parent = Stored(Now.AddHours(1));
        var child = Stored(createdBy: parent);
        var sessionKey = Stored(Now.AddHours(1));

        Assert.Throws<DomainException>(() => child.RevokeWithCreator(sessionKey.Id, Now, Owner));
        Assert.Throws<DomainException>(() => sessionKey.RevokeWithCreator(parent.Id, Now, Owner));

        Assert.True(child.IsActive(Now));
        Assert.True(sessionKey.IsActive(Now));
        Assert.Empty(child.DequeueDomainEvents());
    }
}
