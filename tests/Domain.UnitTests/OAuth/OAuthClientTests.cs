// Longer than 150 lines because registration, reconfiguration, rotation and secret verification each have their guarded edge cases.
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Domain.UnitTests.OAuth;

public sealed class OAuthClientTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid Owner = Guid.NewGuid();
    private const string ClientId = "oc_0123456789abcdefghijABCDEFGHIJ01";

    private static string Sha(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static OAuthClientSettings Settings(
        string[]? grants = null, string[]? redirects = null, bool firstParty = false, string scopes = "openid profile", string[]? postLogout = null) =>
        new("Acme", redirects ?? ["https://app.example.com/cb"], postLogout ?? [], grants ?? ["authorization_code", "refresh_token"],
            ScopeSet.Parse(scopes), true, firstParty);

    private static OAuthClient Confidential(OAuthClientSettings? settings = null, string secret = "first-secret") =>
        OAuthClient.Register(Guid.NewGuid(), ClientId, Owner, OAuthClientType.Confidential, settings ?? Settings(), (Guid.NewGuid(), Sha(secret)), Owner, Now);

    private static OAuthClient Stored(OAuthClient client)
    {
        client.DequeueDomainEvents();
        return client;
    }

    [Fact]
    public void Register_Confidential_KeepsTheSecretHashAndRaisesCreated()
    {
        var client = Confidential();

        var secret = Assert.Single(client.Secrets);
        Assert.Equal(Sha("first-secret"), secret.SecretHash);
        Assert.Null(secret.ExpiresAt);
        Assert.Equal(Now, client.CreatedAt);
        Assert.Equal(Now, client.UpdatedAt);
        Assert.Equal(new OAuthClientCreated(client.Id, ClientId, Owner, OAuthClientType.Confidential, Owner), Assert.Single(client.DequeueDomainEvents()));
    }

    [Fact]
    public void Register_PublicWithASecret_Throws()
    {
        Assert.Throws<DomainException>(() => OAuthClient.Register(
            Guid.NewGuid(), ClientId, Owner, OAuthClientType.Public, Settings(), (Guid.NewGuid(), Sha("s")), Owner, Now));
    }

    [Fact]
    public void Register_ConfidentialWithoutASecret_Throws()
    {
        Assert.Throws<DomainException>(() => OAuthClient.Register(Guid.NewGuid(), ClientId, Owner, OAuthClientType.Confidential, Settings(), null, Owner, Now));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("oc_short")]
    [InlineData("xx_0123456789abcdefghijABCDEFGHIJ01")]
    [InlineData("oc_0123456789abcdefghij-BCDEFGHIJ01")]
    public void Register_MalformedClientId_Throws(string clientId)
    {
        Assert.Throws<DomainException>(() => OAuthClient.Register(
            Guid.NewGuid(), clientId, Owner, OAuthClientType.Public, Settings(), null, Owner, Now));
    }

    [Fact]
    public void Register_SecretHashThatIsNotSha256Hex_Throws()
    {
        Assert.Throws<DomainException>(() => OAuthClient.Register(
            Guid.NewGuid(), ClientId, Owner, OAuthClientType.Confidential, Settings(), (Guid.NewGuid(), "plain-secret"), Owner, Now));
    }

    public static TheoryData<OAuthClientType, OAuthClientSettings> BrokenSettings() => new()
    {
        { OAuthClientType.Public, Settings(grants: ["client_credentials"]) },
        { OAuthClientType.Public, Settings(grants: ["password"]) },
        { OAuthClientType.Public, Settings(redirects: []) },
        { OAuthClientType.Public, Settings(redirects: ["https://a.example.com/cb#f"]) },
        { OAuthClientType.Public, Settings(redirects: ["https://a.example.com/cb", "https://a.example.com/cb"]) },
        { OAuthClientType.Public, Settings(redirects: Enumerable.Range(0, 11).Select(i => $"https://a.example.com/{i}").ToArray()) },
        { OAuthClientType.Public, Settings(postLogout: ["http://evil.example.com/"]) },
        { OAuthClientType.Public, Settings(scopes: "") },
        { OAuthClientType.Public, Settings(grants: ["refresh_token"]) },
        { OAuthClientType.Public, Settings() with { Name = " " } },
        { OAuthClientType.Public, Settings() with { Name = new string('n', 101) } },
    };

    [Theory]
    [MemberData(nameof(BrokenSettings))]
    public void Register_WithABrokenRule_Throws(OAuthClientType type, OAuthClientSettings settings)
    {
        Assert.Throws<DomainException>(() => OAuthClient.Register(Guid.NewGuid(), ClientId, Owner, type, settings, null, Owner, Now));
    }

    [Fact]
    public void Register_FirstPartyWithPassword_IsAllowed()
    {
        var client = Confidential(Settings(grants: ["password", "refresh_token"], redirects: [], firstParty: true));

        Assert.True(client.AllowsGrant(OAuthGrantTypes.Password));
        Assert.False(client.AllowsGrant(OAuthGrantTypes.ClientCredentials));
    }

    [Fact]
    public void Reconfigure_ChangedSettings_RaisesUpdatedWithWhatChanged()
    {
        var client = Stored(Confidential());
        var actor = Guid.NewGuid();

        client.Reconfigure(Settings(redirects: ["https://app.example.com/cb2"], scopes: "openid"), actor, Now.AddMinutes(1));

        var updated = Assert.IsType<OAuthClientUpdated>(Assert.Single(client.DequeueDomainEvents()));
        Assert.Equal(["redirect_uris", "scopes"], updated.Changed);
        Assert.Equal(actor, updated.ActorId);
        Assert.Equal(Now.AddMinutes(1), client.UpdatedAt);
        Assert.Equal(1, client.Version);
    }

    [Fact]
    public void Reconfigure_NothingChanged_RaisesNothing()
    {
        var client = Stored(Confidential());

        client.Reconfigure(Settings(), Owner, Now.AddMinutes(1));

        Assert.Empty(client.DequeueDomainEvents());
        Assert.Equal(Now, client.UpdatedAt);
    }

    [Fact]
    public void Reconfigure_BrokenRule_ThrowsAndChangesNothing()
    {
        var client = Stored(Confidential());

        Assert.Throws<DomainException>(() => client.Reconfigure(Settings(redirects: []), Owner, Now));

        Assert.Equal(["https://app.example.com/cb"], client.RedirectUris);
        Assert.Empty(client.DequeueDomainEvents());
    }

    [Fact]
    public void VerifySecret_RightAndWrongSecret()
    {
        var client = Confidential();

        Assert.True(client.VerifySecret(Sha("first-secret"), Now));
        Assert.False(client.VerifySecret(Sha("other"), Now));
        Assert.False(client.VerifySecret("", Now));
        Assert.False(client.VerifySecret("first-secret", Now));
    }

    [Fact]
    public void VerifySecret_PublicClient_IsAlwaysFalse()
    {
        var client = OAuthClient.Register(Guid.NewGuid(), ClientId, Owner, OAuthClientType.Public, Settings(), null, Owner, Now);

        Assert.False(client.VerifySecret(Sha("anything"), Now));
    }

    [Fact]
    public void RotateSecret_WithoutGrace_StopsTheOldSecretAtOnce()
    {
        var client = Stored(Confidential());

        var added = client.RotateSecret(Guid.NewGuid(), Sha("second"), TimeSpan.Zero, Owner, Now.AddHours(1));

        Assert.False(client.VerifySecret(Sha("first-secret"), Now.AddHours(1)));
        Assert.True(client.VerifySecret(Sha("second"), Now.AddHours(1)));
        Assert.Equal(
            new OAuthClientSecretRotated(client.Id, ClientId, Owner, added.Id, Now.AddHours(1), Owner),
            Assert.Single(client.DequeueDomainEvents()));
    }

    [Fact]
    public void RotateSecret_WithGrace_KeepsTheOldUntilItEnds()
    {
        var client = Stored(Confidential());

        client.RotateSecret(Guid.NewGuid(), Sha("second"), TimeSpan.FromHours(1), Owner, Now);

        Assert.True(client.VerifySecret(Sha("first-secret"), Now.AddMinutes(59)));
        Assert.False(client.VerifySecret(Sha("first-secret"), Now.AddHours(1)));
        Assert.True(client.VerifySecret(Sha("second"), Now.AddDays(30)));
    }

    [Fact]
    public void RotateSecret_DropsSecretsThatHadExpired()
    {
        var client = Stored(Confidential());
        client.RotateSecret(Guid.NewGuid(), Sha("second"), TimeSpan.Zero, Owner, Now);

        client.RotateSecret(Guid.NewGuid(), Sha("third"), TimeSpan.FromHours(1), Owner, Now.AddMinutes(1));

        Assert.Equal(2, client.Secrets.Count);
        Assert.DoesNotContain(client.Secrets, s => s.SecretHash == Sha("first-secret"));
    }

    [Fact]
    public void RotateSecret_AGraceLongerThanAnEarlierExpiry_DoesNotExtendIt()
    {
        var client = Stored(Confidential());
        client.RotateSecret(Guid.NewGuid(), Sha("second"), TimeSpan.FromMinutes(10), Owner, Now);

        client.RotateSecret(Guid.NewGuid(), Sha("third"), TimeSpan.FromDays(1), Owner, Now.AddMinutes(1));

        Assert.False(client.VerifySecret(Sha("first-secret"), Now.AddMinutes(11)));
        Assert.True(client.VerifySecret(Sha("second"), Now.AddMinutes(11)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7 * 24 * 3600 + 1)]
    public void RotateSecret_GraceOutOfBounds_Throws(int seconds)
    {
        var client = Stored(Confidential());

        Assert.Throws<DomainException>(() => client.RotateSecret(Guid.NewGuid(), Sha("second"), TimeSpan.FromSeconds(seconds), Owner, Now));
    }

    [Fact]
    public void RotateSecret_PublicClient_Throws()
    {
        var client = OAuthClient.Register(Guid.NewGuid(), ClientId, Owner, OAuthClientType.Public, Settings(), null, Owner, Now);

        Assert.Throws<DomainException>(() => client.RotateSecret(Guid.NewGuid(), Sha("s"), TimeSpan.Zero, Owner, Now));
    }

    [Fact]
    public void AllowsRedirectUri_ExactOrLoopbackPort()
    {
        var client = Confidential(Settings(redirects: ["https://app.example.com/cb", "http://127.0.0.1/cb"], postLogout: ["https://app.example.com/"]));

        Assert.True(client.AllowsRedirectUri("https://app.example.com/cb"));
        Assert.True(client.AllowsRedirectUri("http://127.0.0.1:5555/cb"));
        Assert.False(client.AllowsRedirectUri("https://app.example.com/cb/"));
        Assert.False(client.AllowsRedirectUri(null));
        Assert.True(client.AllowsPostLogoutRedirectUri("https://app.example.com/"));
        Assert.False(client.AllowsPostLogoutRedirectUri("https://app.example.com"));
    }

    [Fact]
    public void Delete_RaisesDeletedWithTheActor()
    {
        var client = Stored(Confidential());
        var admin = Guid.NewGuid();

        client.Delete(admin);

        Assert.Equal(new OAuthClientDeleted(client.Id, ClientId, Owner, admin), Assert.Single(client.DequeueDomainEvents()));
    }
}
