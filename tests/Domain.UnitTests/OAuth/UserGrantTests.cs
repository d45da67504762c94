using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Domain.UnitTests.OAuth;

public sealed class UserGrantTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid User = Guid.NewGuid();
    private const string Client = "oc_0123456789abcdefghijABCDEFGHIJ01";

    private static UserGrant Stored(string scopes = "openid profile")
    {
        var grant = UserGrant.Grant(Guid.NewGuid(), User, Client, ScopeSet.Parse(scopes), Now);
        grant.DequeueDomainEvents();
        return grant;
    }

    [Fact]
    public void Grant_RaisesConsentGranted()
    {
        var grant = UserGrant.Grant(Guid.NewGuid(), User, Client, ScopeSet.Parse("openid"), Now);

        Assert.Equal(new ConsentGranted(grant.Id, User, Client, "openid"), Assert.Single(grant.DequeueDomainEvents()));
        Assert.True(grant.IsActive);
    }

    [Fact]
    public void Grant_NoScopes_Throws()
    {
        Assert.Throws<DomainException>(() => UserGrant.Grant(Guid.NewGuid(), User, Client, ScopeSet.Empty, Now));
    }

    [Fact]
    public void Covers_OnlyScopesGranted()
    {
        var grant = Stored();

        Assert.True(grant.Covers(ScopeSet.Parse("openid")));
        Assert.False(grant.Covers(ScopeSet.Parse("openid email")));
    }

    [Fact]
    public void Extend_WidensAndRaisesOnlyWhenSomethingIsNew()
    {
        var grant = Stored();

        grant.Extend(ScopeSet.Parse("profile"), Now.AddMinutes(1));
        Assert.Empty(grant.DequeueDomainEvents());

        grant.Extend(ScopeSet.Parse("email"), Now.AddMinutes(2));

        Assert.Equal("openid profile email", grant.Scopes.ToString());
        Assert.Equal(Now.AddMinutes(2), grant.UpdatedAt);
        Assert.IsType<ConsentGranted>(Assert.Single(grant.DequeueDomainEvents()));
    }

    [Fact]
    public void Revoke_EndsTheConsentOnce()
    {
        var grant = Stored();

        grant.Revoke(Now.AddMinutes(1));
        grant.Revoke(Now.AddMinutes(2));

        Assert.False(grant.IsActive);
        Assert.False(grant.Covers(ScopeSet.Parse("openid")));
        Assert.Equal(Now.AddMinutes(1), grant.RevokedAt);
        Assert.Equal(new ConsentRevoked(grant.Id, User, Client), Assert.Single(grant.DequeueDomainEvents()));
    }

    [Fact]
    public void Extend_AfterRevocation_StartsAgainWithTheNewScopesOnly()
    {
        var grant = Stored("openid profile email");
        grant.Revoke(Now);

        grant.Extend(ScopeSet.Parse("openid"), Now.AddMinutes(1));

        Assert.True(grant.IsActive);
        Assert.Equal("openid", grant.Scopes.ToString());
    }
}
