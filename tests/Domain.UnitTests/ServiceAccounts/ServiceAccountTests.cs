using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.ServiceAccounts;

namespace AuthPlatform.Domain.UnitTests.ServiceAccounts;

public sealed class ServiceAccountTests
{
    private static readonly Guid Owner = Guid.NewGuid();
    private const string ClientId = "sa_0123456789abcdefghijkl";

    private static ServiceAccount NewAccount(ScopeSet? scopes = null) =>
        ServiceAccount.Create(Guid.NewGuid(), Owner, " billing ", "sync", ClientId, scopes ?? ["profile"], Guid.NewGuid(), "hash-1", null, TestTime.Start);

    [Fact]
    public void Create_WithValidValues_HasOneSecretAndRaisesCreated()
    {
        var account = NewAccount();

        Assert.Equal("billing", account.Name);
        Assert.Single(account.Secrets);
        var created = Assert.IsType<ServiceAccountCreated>(Assert.Single(account.DomainEvents));
        Assert.Equal(ClientId, created.ClientId);
        Assert.Equal(account.Secrets[0].Id, created.SecretId);
    }

    [Theory]
    [InlineData("client_without_prefix")]
    [InlineData("sa_short")]
    public void Create_WithBadClientId_Throws(string clientId)
    {
        Assert.Throws<DomainException>(() =>
            ServiceAccount.Create(Guid.NewGuid(), Owner, "n", null, clientId, ["profile"], Guid.NewGuid(), "h", null, TestTime.Start));
    }

    [Fact]
    public void Create_WithoutScopes_Throws()
    {
        Assert.Throws<DomainException>(() => NewAccount(ScopeSet.Empty));
    }

    [Fact]
    public void Create_WithSecretExpiringInThePast_Throws()
    {
        Assert.Throws<DomainException>(() =>
            ServiceAccount.Create(Guid.NewGuid(), Owner, "n", null, ClientId, ["profile"], Guid.NewGuid(), "h", TestTime.Start, TestTime.Start));
    }

    [Fact]
    public void AddSecret_UpToTheLimit_ThenThrows()
    {
        var account = NewAccount();
        for (var i = 1; i < ServiceAccount.MaxSecrets; i++)
        {
            account.AddSecret(Guid.NewGuid(), $"hash-{i + 1}", null, TestTime.Start, Owner);
        }

        Assert.False(account.CanAddSecret);
        Assert.Throws<DomainException>(() => account.AddSecret(Guid.NewGuid(), "one-too-many", null, TestTime.Start, Owner));
        Assert.Equal(ServiceAccount.MaxSecrets - 1, account.DomainEvents.OfType<ServiceAccountSecretAdded>().Count());
    }

    [Fact]
    public void DeleteSecret_TheLastOne_LeavesNoSecret()
    {
        var account = NewAccount();

        Assert.True(account.DeleteSecret(account.Secrets[0].Id, Owner));

        Assert.Empty(account.Secrets);
        Assert.Single(account.DomainEvents.OfType<ServiceAccountSecretDeleted>());
        Assert.False(account.DeleteSecret(Guid.NewGuid(), Owner));
    }

    [Fact]
    public void Secret_WithExpiry_IsActiveOnlyBeforeIt()
    {
        var account = NewAccount();
        var secret = account.AddSecret(Guid.NewGuid(), "hash-2", TestTime.Start.AddHours(1), TestTime.Start, Owner);

        Assert.True(secret.IsActive(TestTime.Start.AddMinutes(59)));
        Assert.False(secret.IsActive(TestTime.Start.AddHours(1)));
    }

    [Fact]
    public void Delete_RemovesSecretsRaisesDeletedAndFreezesTheAccount()
    {
        var account = NewAccount();
        var admin = Guid.NewGuid();

        account.Delete(admin, TestTime.Start.AddDays(1));

        Assert.True(account.IsDeleted);
        Assert.Empty(account.Secrets);
        var deleted = Assert.Single(account.DomainEvents.OfType<ServiceAccountDeleted>());
        Assert.Equal(admin, deleted.ActorId);
        Assert.Equal(ClientId, deleted.ClientId);
        Assert.Throws<DomainException>(() => account.Delete(admin, TestTime.Start.AddDays(2)));
        Assert.Throws<DomainException>(() => account.AddSecret(Guid.NewGuid(), "h", null, TestTime.Start.AddDays(2), admin));
    }
}
