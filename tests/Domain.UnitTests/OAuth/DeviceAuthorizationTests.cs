using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.OAuth;

namespace AuthPlatform.Domain.UnitTests.OAuth;

public sealed class DeviceAuthorizationTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid User = Guid.NewGuid();
    private const string Client = "oc_0123456789abcdefghijABCDEFGHIJ01";

    private static DeviceAuthorization Request(TimeSpan? lifetime = null, TimeSpan? interval = null) =>
        DeviceAuthorization.Request(
            Guid.NewGuid(), "device-hash", "user-hash", Client, ScopeSet.Parse("openid profile"),
            lifetime ?? TimeSpan.FromMinutes(10), interval ?? TimeSpan.FromSeconds(5), Now);

    [Fact]
    public void Request_StartsPendingWithItsExpiryAndIntervalAndRaisesRequested()
    {
        var request = Request();

        Assert.Equal(DeviceAuthorizationStatus.Pending, request.Status);
        Assert.Equal(Now.AddMinutes(10), request.ExpiresAt);
        Assert.Equal(5, request.IntervalSeconds);
        Assert.True(request.AwaitsDecision(Now));
        var requested = Assert.IsType<DeviceAuthorizationRequested>(Assert.Single(request.DomainEvents));
        Assert.Equal("openid profile", requested.Scopes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31 * 60)]
    public void Request_LifetimeOutsideTheBounds_Throws(int seconds)
    {
        Assert.Throws<DomainException>(() => Request(lifetime: TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1500)]
    [InlineData(61000)]
    public void Request_IntervalNotWholeSecondsFrom1To60_Throws(int milliseconds)
    {
        Assert.Throws<DomainException>(() => Request(interval: TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Request_WithoutScopes_Throws()
    {
        Assert.Throws<DomainException>(() => DeviceAuthorization.Request(
            Guid.NewGuid(), "d", "u", Client, ScopeSet.Empty, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), Now));
    }

    [Fact]
    public void Poll_WhilePending_IsPendingThenSlowDownWhenTooSoonAndTheIntervalGrows()
    {
        var request = Request();

        Assert.Equal(DevicePollOutcome.AuthorizationPending, request.Poll(Now));
        Assert.Equal(DevicePollOutcome.SlowDown, request.Poll(Now.AddSeconds(4)));
        Assert.Equal(10, request.IntervalSeconds);
        Assert.Equal(DevicePollOutcome.SlowDown, request.Poll(Now.AddSeconds(13))); // 9 s after the last poll, interval 10
        Assert.Equal(15, request.IntervalSeconds);
        Assert.Equal(DevicePollOutcome.AuthorizationPending, request.Poll(Now.AddSeconds(28)));
        Assert.Equal(Now.AddSeconds(28), request.LastPolledAt);
    }

    [Fact]
    public void Poll_SlowDownManyTimes_CapsTheIntervalAtOneMinute()
    {
        var request = Request();
        for (var i = 0; i < 30; i++)
        {
            request.Poll(Now);
        }

        Assert.Equal(60, request.IntervalSeconds);
    }

    [Fact]
    public void Poll_AfterExpiry_IsExpiredEvenWhenApproved()
    {
        var pending = Request();
        var approved = Request();
        approved.Approve(User, Now, ["pwd"], Now.AddSeconds(1));

        Assert.Equal(DevicePollOutcome.Expired, pending.Poll(Now.AddMinutes(10)));
        Assert.Equal(DevicePollOutcome.Expired, approved.Poll(Now.AddMinutes(10)));
        Assert.Equal(DeviceAuthorizationStatus.Approved, approved.Status);
    }

    [Fact]
    public void Poll_WhenApproved_RedeemsOnceAndRaisesRedeemed()
    {
        var request = Request();
        request.Approve(User, Now.AddMinutes(-5), ["pwd", "otp"], Now.AddSeconds(1));
        var version = request.Version;

        Assert.Equal(DevicePollOutcome.Redeemed, request.Poll(Now.AddSeconds(2)));

        Assert.Equal(DeviceAuthorizationStatus.Redeemed, request.Status);
        Assert.True(request.Version > version);
        Assert.Equal(["pwd", "otp"], request.AuthenticationMethodList);
        Assert.Equal(Now.AddMinutes(-5), request.AuthTime);
        Assert.Contains(request.DomainEvents, e => e is DeviceAuthorizationRedeemed r && r.UserId == User);
        Assert.Equal(DevicePollOutcome.AlreadyRedeemed, request.Poll(Now.AddSeconds(30)));
    }

    [Fact]
    public void Poll_WhenDenied_IsDenied()
    {
        var request = Request();
        request.Deny(User, Now);

        Assert.Equal(DevicePollOutcome.Denied, request.Poll(Now.AddSeconds(10)));
        Assert.Contains(request.DomainEvents, e => e is DeviceAuthorizationDenied);
    }

    [Fact]
    public void Approve_Twice_OrAfterADenial_IsAlreadyDecided()
    {
        var approved = Request();
        var denied = Request();
        Assert.Equal(DeviceDecisionOutcome.Recorded, approved.Approve(User, Now, ["pwd"], Now));
        Assert.Equal(DeviceDecisionOutcome.Recorded, denied.Deny(User, Now));

        Assert.Equal(DeviceDecisionOutcome.AlreadyDecided, approved.Approve(Guid.NewGuid(), Now, ["pwd"], Now));
        Assert.Equal(DeviceDecisionOutcome.AlreadyDecided, approved.Deny(Guid.NewGuid(), Now));
        Assert.Equal(DeviceDecisionOutcome.AlreadyDecided, denied.Approve(User, Now, ["pwd"], Now));
        Assert.Equal(User, approved.UserId);
        Assert.Equal(DeviceAuthorizationStatus.Denied, denied.Status);
    }

    [Fact]
    public void Approve_AfterExpiry_IsExpiredAndChangesNothing()
    {
        var request = Request();

        Assert.Equal(DeviceDecisionOutcome.Expired, request.Approve(User, Now, ["pwd"], Now.AddMinutes(10)));

        Assert.Equal(DeviceAuthorizationStatus.Pending, request.Status);
        Assert.Null(request.UserId);
        Assert.False(request.AwaitsDecision(Now.AddMinutes(10)));
    }

    [Fact]
    public void Approve_WithAnAuthenticationAfterNow_Throws()
    {
        Assert.Throws<DomainException>(() => Request().Approve(User, Now.AddSeconds(1), ["pwd"], Now));
    }

    [Fact]
    public void RecordIssued_BeforeRedemptionOrTwice_Throws()
    {
        var request = Request();
        Assert.Throws<DomainException>(() => request.RecordIssued(Guid.NewGuid()));
        request.Approve(User, Now, ["pwd"], Now);
        request.Poll(Now);

        request.RecordIssued(Guid.NewGuid());

        Assert.NotNull(request.IssuedFamilyId);
        Assert.Throws<DomainException>(() => request.RecordIssued(Guid.NewGuid()));
    }
}
