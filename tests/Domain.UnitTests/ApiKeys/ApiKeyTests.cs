using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.UnitTests.ApiKeys;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Admin = Guid.NewGuid();

    /// <summary>A key as loaded: the events of its issue were dispatched when it was saved.</summary>
    private static ApiKey StoredKey(DateTimeOffset? expiresAt = null)
    {
        var key = IssueKey(expiresAt: expiresAt);
        key.DequeueDomainEvents();
        return key;
    }

    private static ApiKey IssueKey(
        IReadOnlyCollection<string>? permissions = null,
        DateTimeOffset? expiresAt = null,
        string name = "ci key",
        Guid? id = null,
        Guid? ownerId = null) =>
        ApiKey.Issue(
            id ?? Guid.NewGuid(), ownerId ?? Owner, name, "ap_AbCdEfGh", "hash-1", ScopeSet.From(permissions ?? ["profile", "models.read"]), expiresAt, Now);

    [Fact]
    public void Issue_WithValidInput_KeepsEveryField()
    {
        var id = Guid.NewGuid();
        var expiry = Now.AddDays(30);

        var key = ApiKey.Issue(id, Owner, "  deploy bot  ", "ap_AbCdEfGh", "hash-1", ScopeSet.Parse("api_keys:read models.read"), expiry, Now);

        Assert.Equal(id, key.Id);
        Assert.Equal(Owner, key.OwnerId);
        Assert.Equal("deploy bot", key.Name);
        Assert.Equal("ap_AbCdEfGh", key.KeyPrefix);
        Assert.Equal("hash-1", key.KeyHash);
        Assert.Equal("api_keys:read models.read", key.Permissions.ToString());
        Assert.Equal(["api_keys:read", "models.read"], key.Permissions);
        Assert.Equal(expiry, key.ExpiresAt);
        Assert.Equal(Now, key.CreatedAt);
        Assert.Null(key.RevokedAt);
        Assert.Null(key.LastUsedAt);
        Assert.Null(key.ReplacedById);
        Assert.Equal(0, key.Version);
    }

    [Fact]
    public void Issue_WithEmptyId_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(id: Guid.Empty));
    }

    [Fact]
    public void Issue_WithEmptyOwner_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(ownerId: Guid.Empty));
    }

    [Fact]
    public void Issue_WithExpiryEqualToNow_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(expiresAt: Now));
    }

    [Fact]
    public void Issue_WithExpiryInThePast_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(expiresAt: Now.AddSeconds(-1)));
    }

    [Fact]
    public void Issue_WithExpiryOneTickAfterNow_Succeeds()
    {
        var key = IssueKey(expiresAt: Now.AddTicks(1));

        Assert.Equal(Now.AddTicks(1), key.ExpiresAt);
    }

    [Fact]
    public void Issue_WithoutExpiry_NeverExpires()
    {
        var key = IssueKey(expiresAt: null);

        Assert.Null(key.ExpiresAt);
        Assert.True(key.IsActive(Now.AddYears(100)));
    }

    [Fact]
    public void Issue_WithNonUtcNow_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() =>
            ApiKey.Issue(Guid.NewGuid(), Owner, "k", "ap_AbCdEfGh", "hash-1", ScopeSet.Parse("profile"), null, Now.ToOffset(TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("Profile")]
    [InlineData("models read")]
    [InlineData("")]
    [InlineData("scope/with/slash")]
    [InlineData("é")]
    public void Issue_WithInvalidScopeName_ThrowsDomainException(string scope)
    {
        Assert.Throws<DomainException>(() => IssueKey(permissions: ["profile", scope]));
    }

    [Fact]
    public void Issue_WithScopeNameLongerThan64_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(permissions: [new string('a', 65)]));
    }

    [Fact]
    public void Issue_WithScopeNameOf64Characters_Succeeds()
    {
        var scope = new string('a', 64);

        Assert.Equal([scope], IssueKey(permissions: [scope]).Permissions);
    }

    [Fact]
    public void Issue_WithMoreThan64Permissions_ThrowsDomainException()
    {
        var permissions = Enumerable.Range(0, ApiKey.MaxPermissions + 1).Select(i => $"scope.{i}").ToList();

        Assert.Throws<DomainException>(() => IssueKey(permissions: permissions));
    }

    [Fact]
    public void Issue_WithExactly64Permissions_KeepsThemAll()
    {
        var permissions = Enumerable.Range(0, ApiKey.MaxPermissions).Select(i => $"scope.{i}").ToList();

        var key = IssueKey(permissions: permissions);

        Assert.Equal(permissions, key.Permissions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Issue_WithBlankName_ThrowsDomainException(string? name)
    {
        Assert.Throws<DomainException>(() => IssueKey(name: name!));
    }

    [Fact]
    public void Issue_WithNameLongerThanMax_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(name: new string('n', ApiKey.MaxNameLength + 1)));
    }

    [Fact]
    public void Issue_WithBlankPrefixOrHash_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => ApiKey.Issue(Guid.NewGuid(), Owner, "k", " ", "hash-1", ScopeSet.Parse("profile"), null, Now));
        Assert.Throws<DomainException>(() => ApiKey.Issue(Guid.NewGuid(), Owner, "k", "ap_AbCdEfGh", "", ScopeSet.Parse("profile"), null, Now));
    }

    [Fact]
    public void Issue_WithDuplicatePermissions_KeepsEachOnceInFirstOrder()
    {
        var key = IssueKey(permissions: ["models.read", "profile", "models.read", "profile", "audit:read"]);

        Assert.Equal(["models.read", "profile", "audit:read"], key.Permissions);
        Assert.Equal("models.read profile audit:read", key.Permissions.ToString());
    }

    [Fact]
    public void IsActive_FreshKey_IsTrue()
    {
        Assert.True(IssueKey(expiresAt: Now.AddHours(1)).IsActive(Now));
    }

    [Fact]
    public void IsActive_AtOrAfterExpiry_IsFalse()
    {
        var key = IssueKey(expiresAt: Now.AddHours(1));

        Assert.True(key.IsActive(Now.AddHours(1).AddTicks(-1)));
        Assert.False(key.IsActive(Now.AddHours(1)));
        Assert.False(key.IsActive(Now.AddHours(2)));
    }

    [Fact]
    public void IsActive_RevokedKey_IsFalse()
    {
        var key = IssueKey();

        key.Revoke(Now.AddMinutes(1), Owner);

        Assert.False(key.IsActive(Now.AddMinutes(1)));
        Assert.False(key.IsActive(Now.AddMinutes(2)));
    }

    [Fact]
    public void Revoke_ActiveKey_SetsRevokedAtAndBumpsVersion()
    {
        var key = IssueKey();

        key.Revoke(Now.AddMinutes(5), Owner);

        Assert.Equal(Now.AddMinutes(5), key.RevokedAt);
        Assert.Equal(1, key.Version);
    }

    [Fact]
    public void Revoke_Twice_KeepsFirstTimeAndBumpsVersionOnce()
    {
        var key = IssueKey();

        key.Revoke(Now.AddMinutes(5), Owner);
        key.Revoke(Now.AddMinutes(9), Owner);

        Assert.Equal(Now.AddMinutes(5), key.RevokedAt);
        Assert.Equal(1, key.Version);
    }

    [Fact]
    public void Rotate_ActiveKey_ReturnsSuccessorWithSameOwnerNamePermissionsAndExpiry()
    {
        var expiry = Now.AddDays(30);
        var key = IssueKey(permissions: ["profile", "models.read"], expiresAt: expiry, name: "deploy bot");
        var newId = Guid.NewGuid();
        var at = Now.AddDays(1);

        var successor = key.Rotate(newId, "ap_ZyXwVuTs", "hash-2", at);

        Assert.Equal(newId, successor.Id);
        Assert.Equal(key.OwnerId, successor.OwnerId);
        Assert.Equal("deploy bot", successor.Name);
        Assert.Equal(key.Permissions, successor.Permissions);
        Assert.Equal(expiry, successor.ExpiresAt);
        Assert.Equal("ap_ZyXwVuTs", successor.KeyPrefix);
        Assert.Equal("hash-2", successor.KeyHash);
        Assert.Equal(at, successor.CreatedAt);
        Assert.True(successor.IsActive(at));
        Assert.Null(successor.RevokedAt);
        Assert.Null(successor.ReplacedById);
    }

    [Fact]
    public void Rotate_ActiveKey_RevokesOldOneAndPointsToSuccessor()
    {
        var key = IssueKey();
        var at = Now.AddDays(1);

        var successor = key.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", at);

        Assert.Equal(at, key.RevokedAt);
        Assert.False(key.IsActive(at));
        Assert.Equal(successor.Id, key.ReplacedById);
        Assert.Equal(1, key.Version);
        Assert.Equal("hash-1", key.KeyHash);
    }

    [Fact]
    public void Rotate_RevokedKey_ThrowsAndChangesNothing()
    {
        var key = IssueKey();
        key.Revoke(Now, Owner);

        Assert.Throws<DomainException>(() => key.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", Now.AddMinutes(1)));
        Assert.Null(key.ReplacedById);
        Assert.Equal(Now, key.RevokedAt);
        Assert.Equal(1, key.Version);
    }

    [Fact]
    public void Rotate_ExpiredKey_ThrowsAndLeavesItUnrevoked()
    {
        var key = IssueKey(expiresAt: Now.AddHours(1));

        Assert.Throws<DomainException>(() => key.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", Now.AddHours(1)));
        Assert.Null(key.RevokedAt);
        Assert.Null(key.ReplacedById);
        Assert.Equal(0, key.Version);
    }

    [Fact]
    public void Rotate_WithInvalidSuccessorArguments_ThrowsAndLeavesOldKeyActive()
    {
        var key = IssueKey();

        Assert.Throws<DomainException>(() => key.Rotate(Guid.Empty, "ap_ZyXwVuTs", "hash-2", Now.AddMinutes(1)));
        Assert.Throws<DomainException>(() => key.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", " ", Now.AddMinutes(1)));
        Assert.True(key.IsActive(Now.AddMinutes(1)));
        Assert.Null(key.ReplacedById);
        Assert.Equal(0, key.Version);
    }

    [Fact]
    public void Issue_WithNoPermission_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => IssueKey(permissions: []));
    }

    // ---- Events ----

    [Fact]
    public void Issue_WithValidInput_RaisesApiKeyCreatedOnly()
    {
        var key = IssueKey();

        Assert.Equal(new ApiKeyCreated(key.Id, Owner, "ap_AbCdEfGh"), Assert.Single(key.DequeueDomainEvents()));
    }

    [Fact]
    public void Revoke_ActiveKey_RaisesApiKeyRevokedWithTheActorAndTheHashToEvict()
    {
        var key = StoredKey();

        key.Revoke(Now.AddMinutes(1), Admin);

        Assert.Equal(new ApiKeyRevoked(key.Id, Owner, "ap_AbCdEfGh", Admin, "hash-1"), Assert.Single(key.DequeueDomainEvents()));
    }

    [Fact]
    public void Revoke_Twice_RaisesApiKeyRevokedOnce()
    {
        var key = StoredKey();

        key.Revoke(Now.AddMinutes(1), Owner);
        key.Revoke(Now.AddMinutes(2), Admin);

        var raised = Assert.IsType<ApiKeyRevoked>(Assert.Single(key.DequeueDomainEvents()));
        Assert.Equal(Owner, raised.ActorId);
    }

    [Fact]
    public void Revoke_RotatedKey_RaisesNothingMore()
    {
        var key = StoredKey();
        key.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", Now.AddMinutes(1));
        key.DequeueDomainEvents();

        key.Revoke(Now.AddMinutes(2), Owner);

        Assert.Empty(key.DequeueDomainEvents());
        Assert.Equal(Now.AddMinutes(1), key.RevokedAt);
    }

    [Fact]
    public void Delete_Always_RaisesApiKeyDeletedWithTheActorAndTheHashToEvict()
    {
        var key = StoredKey();

        key.Delete(Admin);

        Assert.Equal(new ApiKeyDeleted(key.Id, Owner, "ap_AbCdEfGh", Admin, "hash-1"), Assert.Single(key.DequeueDomainEvents()));
    }

    [Fact]
    public void Rotate_ActiveKey_RaisesApiKeyRotatedOnTheOldKeyAndNothingOnTheSuccessor()
    {
        var key = StoredKey();
        var newId = Guid.NewGuid();

        var successor = key.Rotate(newId, "ap_ZyXwVuTs", "hash-2", Now.AddMinutes(1));

        Assert.Equal(new ApiKeyRotated(key.Id, Owner, newId, "ap_ZyXwVuTs", "hash-1"), Assert.Single(key.DequeueDomainEvents()));
        Assert.Empty(successor.DequeueDomainEvents());
    }

    [Fact]
    public void Rotate_RevokedOrExpiredKey_ThrowsAndRaisesNothing()
    {
        var revoked = StoredKey();
        revoked.Revoke(Now, Owner);
        revoked.DequeueDomainEvents();
        var expired = StoredKey(expiresAt: Now.AddHours(1));

        Assert.Throws<DomainException>(() => revoked.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", Now.AddMinutes(1)));
        Assert.Throws<DomainException>(() => expired.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", Now.AddHours(1)));
        Assert.Empty(revoked.DequeueDomainEvents());
        Assert.Empty(expired.DequeueDomainEvents());
    }

    [Fact]
    public void InvalidationEvents_Always_CarryTheKeyHashForTheCache()
    {
        var revoked = StoredKey();
        var deleted = StoredKey();
        var rotated = StoredKey();

        revoked.Revoke(Now, Owner);
        deleted.Delete(Owner);
        rotated.Rotate(Guid.NewGuid(), "ap_ZyXwVuTs", "hash-2", Now);

        Assert.All(
            revoked.DequeueDomainEvents().Concat(deleted.DequeueDomainEvents()).Concat(rotated.DequeueDomainEvents()),
            e => Assert.Equal("hash-1", Assert.IsAssignableFrom<IApiKeyInvalidated>(e).KeyHash));
    }
}
