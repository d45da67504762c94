using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class StepUpTests
{
    private readonly Ports _ports = new();

    private static CallerIdentity Caller(User user, IReadOnlyList<string> amr, DateTimeOffset? authenticatedAt) =>
        new(user.Id.ToString(), user.Id, AuthMethods.Jwt, ["profile"], AuthenticationMethods: amr, AuthenticatedAt: authenticatedAt);

    private Task<Result> Require(CallerIdentity caller, User user, string? stepUpCode = null) =>
        _ports.StepUp.RequireAsync(caller, user, stepUpCode, CancellationToken.None);

    [Fact]
    public async Task RequireAsync_TwoFactorOff_Succeeds()
    {
        var user = _ports.NewUser();

        var result = await Require(Caller(user, ["pwd"], null), user, stepUpCode: "000000");

        Assert.True(result.IsSuccess);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
    }

    [Fact]
    public async Task RequireAsync_OtpSessionNineMinutesOld_SucceedsWithoutAskingForACode()
    {
        var user = _ports.TwoFactorUser();
        var caller = Caller(user, ["pwd", "otp"], _ports.Clock.GetUtcNow());
        _ports.Clock.Advance(TimeSpan.FromMinutes(9));

        var result = await Require(caller, user, stepUpCode: "000000");

        Assert.True(result.IsSuccess);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task RequireAsync_OtpSessionElevenMinutesOld_ReturnsMfaRequired()
    {
        var user = _ports.TwoFactorUser();
        var caller = Caller(user, ["pwd", "otp"], _ports.Clock.GetUtcNow());
        _ports.Clock.Advance(TimeSpan.FromMinutes(11));

        var result = await Require(caller, user);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        Assert.False(result.KeepsChanges);
    }

    [Fact]
    public async Task RequireAsync_OtpInAmrWithoutAuthTime_ReturnsMfaRequired()
    {
        var user = _ports.TwoFactorUser();

        var result = await Require(Caller(user, ["pwd", "otp"], null), user);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
    }

    [Fact]
    public async Task RequireAsync_FreshPasswordOnlySessionWithoutHeader_ReturnsMfaRequiredWithoutCountingAFailure()
    {
        var user = _ports.TwoFactorUser();

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: "  ");

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        await _ports.NoFailureCountedAsync();
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task RequireAsync_PasswordOnlySessionWithValidHeaderCode_SucceedsAndClaimsTheStep()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: "123456");

        Assert.True(result.IsSuccess);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RequireAsync_PasswordOnlySessionWithWrongHeaderCode_ReturnsInvalidMfaCodeKeepingTheFailure()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: "999999");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.Equal("step_up", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
    }

    [Fact]
    public async Task RequireAsync_ReplayedHeaderCode_ReturnsInvalidMfaCode()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.SecondFactorStore.TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>()).Returns(false); // taken already

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: "123456");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
    }

    [Fact]
    public async Task RequireAsync_ApiKeyCallerWithoutHeader_ReturnsMfaRequired()
    {
        var user = _ports.TwoFactorUser();
        var caller = new CallerIdentity(user.Id.ToString(), user.Id, AuthMethods.ApiKey, ["api_keys:write"], ApiKeyId: Guid.NewGuid());

        var result = await Require(caller, user);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
    }

    [Fact]
    public async Task RequireAsync_LockedTwoFactorUserWithValidCode_RefusesAccountLockedWithoutCheckingTheCode()
    {
        var user = _ports.TwoFactorUser();
        Ports.LockedInStore(user, _ports.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Require(Caller(user, ["pwd", "otp"], _ports.Clock.GetUtcNow()), user, stepUpCode: "123456");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task RequireAsync_FromASessionRevokedInTheStore_RefusesInvalidTokenEvenWithoutTwoFactor()
    {
        var user = _ports.NewUser();
        var session = Ports.RevokedInStore(_ports.StoredFamily(user.Id, "mine"), RevocationReasons.Logout, _ports.Clock.GetUtcNow());
        _ports.Families.FindByIdAsync(session.Id, Arg.Any<CancellationToken>()).Returns(session);

        var result = await Require(Caller(user, ["pwd"], null) with { SessionId = session.Id }, user);

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
    }

    [Fact]
    public async Task RequireAsync_FromALiveSessionWithoutTwoFactor_Succeeds()
    {
        var user = _ports.NewUser();
        var session = _ports.StoredFamily(user.Id, "mine");
        _ports.Families.FindByIdAsync(session.Id, Arg.Any<CancellationToken>()).Returns(session);

        var result = await Require(Caller(user, ["pwd"], null) with { SessionId = session.Id }, user);

        Assert.True(result.IsSuccess);
    }
}
