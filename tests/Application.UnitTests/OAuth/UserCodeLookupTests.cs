using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.Common;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.OAuth;

/// <summary>RFC 8628 5.1: the user code's lookup on the verification page, and its brute-force throttle.</summary>
public sealed class UserCodeLookupTests
{
    private const string Code = "WDJBMJHT";
    private readonly Ports _ports = new();
    private readonly IDeviceAuthorizationRepository _authorizations = Substitute.For<IDeviceAuthorizationRepository>();
    private readonly IUserCodeThrottle _throttle = Substitute.For<IUserCodeThrottle>();
    private readonly Guid _user = Guid.NewGuid();
    private readonly DeviceAuthorization _pending;

    public UserCodeLookupTests()
    {
        _throttle.ReserveAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns((TimeSpan?)null);
        _pending = DeviceAuthorization.Request(
            Guid.NewGuid(), "device", Ports.HashOf(Code), "oc_0123456789abcdefghijABCDEFGHIJ01", ScopeSet.Parse("openid"),
            TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), _ports.Clock.GetUtcNow());
        _authorizations.FindByUserCodeHashAsync(Ports.HashOf(Code), Arg.Any<CancellationToken>()).Returns(_pending);
    }

    private Task<Result<DeviceAuthorization>> Find(string? code) =>
        new UserCodeLookup(_authorizations, _throttle, _ports.Secrets, _ports.Client, _ports.DomainEvents, _ports.Clock)
            .FindPendingAsync(code, _user, CancellationToken.None);

    [Theory]
    [InlineData("WDJB-MJHT")]
    [InlineData("wdjb-mjht")]
    [InlineData("WDJBMJHT")]
    [InlineData(" wdjb mjht ")]
    public async Task FindPending_TheCodeInAnyCaseWithOrWithoutDashOrSpaces_FindsItAndCountsNothing(string typed)
    {
        var result = await Find(typed);

        Assert.Same(_pending, result.Value);
        _throttle.DidNotReceive().Complete(Arg.Any<string>(), true);
        _ports.DomainEvents.DidNotReceive().Raise(Arg.Any<DeviceUserCodeRejected>());
    }

    [Theory]
    [InlineData("WDJB-MJHX")] // another code
    [InlineData("WDJA-MJHT")] // a vowel: never a code
    [InlineData("WDJB-MJH")]
    [InlineData(null)]
    public async Task FindPending_AWrongCode_CountsAFailureForTheAddressAndThePersonAndAuditsIt(string? typed)
    {
        var result = await Find(typed);

        Assert.Equal(UserCodeLookup.Unknown, result.Error);
        Assert.True(result.KeepsChanges, "the audit row is kept");
        _throttle.Received(1).Complete("ip:" + ClientAddressKey(), true);
        _throttle.Received(1).Complete("user:" + _user.ToString("N"), true);
        _ports.DomainEvents.Received(1).Raise(Arg.Is<DeviceUserCodeRejected>(e => e.UserId == _user && e.Reason == UserCodeLookup.UnknownOrExpired));
    }

    [Fact]
    public async Task FindPending_AnExpiredOrDecidedCode_AnswersLikeAnUnknownOne()
    {
        _ports.Clock.Advance(TimeSpan.FromMinutes(10));

        var result = await Find(Code);

        Assert.Equal(UserCodeLookup.Unknown, result.Error);
        _throttle.Received(2).Complete(Arg.Any<string>(), true);
    }

    [Theory]
    [InlineData("ip:")]
    [InlineData("user:")]
    public async Task FindPending_WhenTheAddressOrThePersonIsThrottled_RefusesTheRightCodeWithoutLookingItUp(string throttledKey)
    {
        _throttle.ReserveAsync(Arg.Is<string>(k => k.StartsWith(throttledKey, StringComparison.Ordinal)), Arg.Any<CancellationToken>())
            .Returns(TimeSpan.FromSeconds(90));

        var result = await Find(Code);

        Assert.Equal(ErrorCodes.RateLimited, result.Error!.Code);
        Assert.Equal(["90"], result.Error.Fields![ClientAuthentication.RetryAfterField]);
        await _authorizations.DidNotReceive().FindByUserCodeHashAsync(Arg.Any<string>(), Arg.Any<CancellationToken>());
        _ports.DomainEvents.Received(1).Raise(Arg.Is<DeviceUserCodeRejected>(e => e.Reason == UserCodeLookup.Throttled));
    }

    private string ClientAddressKey() => ClientAddresses.ThrottleKey(_ports.Client.IpAddress);
}
