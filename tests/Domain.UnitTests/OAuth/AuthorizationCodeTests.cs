using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Domain.UnitTests.OAuth;

public sealed class AuthorizationCodeTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid User = Guid.NewGuid();
    private const string Client = "oc_0123456789abcdefghijABCDEFGHIJ01";
    private static readonly string Challenge = new('A', 43);

    private static AuthorizationCode Issue(
        TimeSpan? lifetime = null, string? challenge = "default", string? method = AuthorizationCode.S256, string? nonce = "n-0S6", DateTimeOffset? authTime = null) =>
        AuthorizationCode.Issue(
            Guid.NewGuid(), "code-hash", Client, User, "https://app.example.com/cb", ScopeSet.Parse("openid profile"),
            challenge == "default" ? Challenge : challenge, method, nonce, authTime ?? Now.AddMinutes(-1), ["pwd", "otp"], lifetime ?? TimeSpan.FromSeconds(60), Now);

    [Fact]
    public void Issue_KeepsItsBindings()
    {
        var code = Issue();

        Assert.Equal(Now.AddSeconds(60), code.ExpiresAt);
        Assert.True(code.IsBoundTo(Client, "https://app.example.com/cb"));
        Assert.False(code.IsBoundTo(Client, "https://app.example.com/cb/"));
        Assert.False(code.IsBoundTo("oc_other", "https://app.example.com/cb"));
        Assert.False(code.IsBoundTo(Client, null));
        Assert.Equal(["pwd", "otp"], code.AuthenticationMethodList);
        Assert.Equal("n-0S6", code.Nonce);
    }

    [Theory]
    [InlineData(61)]
    [InlineData(0)]
    public void Issue_LifetimeOutside1To60Seconds_Throws(int seconds)
    {
        Assert.Throws<DomainException>(() => Issue(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Issue_PlainMethod_Throws()
    {
        Assert.Throws<DomainException>(() => Issue(method: "plain"));
    }

    [Fact]
    public void Issue_ChallengeWithoutMethod_Throws()
    {
        Assert.Throws<DomainException>(() => Issue(method: null));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Issue_MalformedChallenge_Throws(string challenge)
    {
        Assert.Throws<DomainException>(() => Issue(challenge: challenge));
    }

    [Fact]
    public void Issue_WithoutPkce_IsAllowedForTheHandlerToDecide()
    {
        var code = Issue(challenge: null, method: null);

        Assert.Null(code.CodeChallenge);
    }

    [Fact]
    public void Issue_EmptyNonceOrAuthTimeInTheFuture_Throws()
    {
        Assert.Throws<DomainException>(() => Issue(nonce: ""));
        Assert.Throws<DomainException>(() => Issue(authTime: Now.AddSeconds(1)));
    }

    [Fact]
    public void Redeem_FirstUseInTime_Redeems()
    {
        var code = Issue();

        Assert.Equal(CodeRedemptionOutcome.Redeemed, code.Redeem(Now.AddSeconds(59)));
        Assert.Equal(Now.AddSeconds(59), code.RedeemedAt);
        Assert.Equal(1, code.Version);
        Assert.Empty(code.DequeueDomainEvents());
    }

    [Fact]
    public void Redeem_AtExpiry_IsExpiredAndChangesNothing()
    {
        var code = Issue();

        Assert.Equal(CodeRedemptionOutcome.Expired, code.Redeem(Now.AddSeconds(60)));
        Assert.Null(code.RedeemedAt);
    }

    [Fact]
    public void Redeem_SecondUse_IsReuseNamingWhatTheFirstIssued()
    {
        var code = Issue();
        var family = Guid.NewGuid();
        code.Redeem(Now.AddSeconds(1));
        code.RecordIssued(family, "jti-1");

        var outcome = code.Redeem(Now.AddSeconds(2));

        Assert.Equal(CodeRedemptionOutcome.ReuseDetected, outcome);
        Assert.Equal(new AuthorizationCodeReused(code.Id, User, Client, family), Assert.Single(code.DequeueDomainEvents()));
        Assert.Equal(Now.AddSeconds(1), code.RedeemedAt);
    }

    [Fact]
    public void RecordIssued_BeforeRedemptionOrTwice_Throws()
    {
        var code = Issue();
        Assert.Throws<DomainException>(() => code.RecordIssued(Guid.NewGuid(), "jti"));

        code.Redeem(Now);
        code.RecordIssued(null, "jti");

        Assert.Throws<DomainException>(() => code.RecordIssued(Guid.NewGuid(), "jti-2"));
    }
}
