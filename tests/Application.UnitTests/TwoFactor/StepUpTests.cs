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
        await _ports.NothingClaimedAsync();
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
        await _ports.NothingClaimedAsync();
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
        await _ports.NothingClaimedAsync();
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
        await _ports.ClaimedAsync(user);
        await _ports.ReleasedAsync(user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task RequireAsync_HeaderCodeWithSpaces_IsCheckedTrimmed()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: " 123456 ");

        Assert.True(result.IsSuccess);
        _ports.Totp.Received(1).Match(Ports.TotpSecret, "123456", Arg.Any<DateTimeOffset>());
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
        await _ports.NothingReleasedAsync();
        Assert.Equal("step_up", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
    }

    [Fact]
    public async Task RequireAsync_WrongHeaderCodeThatTheThrottleSaysLocked_RaisesAccountLockedAndAnswersInvalidMfaCode()
    {
        var user = _ports.TwoFactorUser();
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: "999999");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(until, _ports.SingleAudit(AuditEventTypes.AccountLocked).Details!["until"]);
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
    public async Task RequireAsync_ClaimRefusedWithValidHeaderCode_RefusesAccountLockedWithoutCheckingTheCode()
    {
        var user = _ports.TwoFactorUser();
        _ports.AddressBudgetRefuses();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user, stepUpCode: "123456");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task RequireAsync_FreshOtpSessionWhileClaimsAreRefused_SucceedsWithoutClaiming()
    {
        // No code is evaluated, so no attempt is claimed: the budgets throttle guesses, not sessions.
        var user = _ports.TwoFactorUser();
        _ports.AddressBudgetRefuses();

        var result = await Require(Caller(user, ["pwd", "otp"], _ports.Clock.GetUtcNow()), user, stepUpCode: "123456");

        Assert.True(result.IsSuccess);
        await _ports.NothingClaimedAsync();
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
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
