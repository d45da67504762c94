using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class LoginWithSecondFactorHandlerTests
{
    private readonly Ports _ports = new();
    private readonly User _user;

    public LoginWithSecondFactorHandlerTests()
    {
        _user = _ports.TwoFactorUser();
        _ports.MfaTokens.ValidateAsync("mfa-token-1", Arg.Any<CancellationToken>()).Returns(_user.Id);
        _ports.TotpCode("123456", Ports.StartStep);
    }

    private Task<Result<SessionResponse>> Complete(string? code, string? recoveryCode = null, string token = "mfa-token-1") =>
        new LoginWithSecondFactorHandler(_ports.MfaTokens, _ports.Users, _ports.SecondFactor, _ports.Sessions)
            .Handle(new LoginWithSecondFactorCommand(token, code, recoveryCode), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_InvalidMfaToken_AnswersInvalidTokenWithoutCheckingTheCode()
    {
        var result = await Complete("123456", token: "forged");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.NothingClaimedAsync();
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_TokenOfUserWithoutTwoFactor_AnswersInvalidToken()
    {
        _user.DisableTwoFactor();

        var result = await Complete("123456");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_DisabledUser_AnswersInvalidToken()
    {
        _user.Disable();

        var result = await Complete("123456");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_ClaimRefused_AnswersAccountLockedWithoutCheckingTheCode()
    {
        _ports.AddressBudgetRefuses();

        var result = await Complete("123456");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        await _ports.NoFailureCountedAsync();
        await _ports.NothingReleasedAsync();
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginSucceeded);
    }

    [Fact]
    public async Task Handle_ClaimRefusedWithARecoveryCode_AnswersAccountLockedWithoutHashingIt()
    {
        _ports.AddressBudgetRefuses();

        var result = await Complete(null, "cd2b-secb-2345");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        _ports.Hasher.DidNotReceiveWithAnyArgs().VerifyAgainstDummy(default!);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        Assert.Equal(User.RecoveryCodeCount, _user.RecoveryCodesLeft);
    }

    [Fact]
    public async Task Handle_WrongCode_RefusesInvalidMfaCodeAndKeepsTheFailure()
    {
        var result = await Complete("000000");

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(_user, times: 1);
        var audit = _ports.SingleAudit(AuditEventTypes.MfaFailed);
        Assert.Equal(_user.Id, audit.UserId);
        Assert.Equal("login", audit.Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginFailed);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
    }

    [Fact]
    public async Task Handle_ReplayedCode_RefusesInvalidMfaCode()
    {
        // The store takes a step once (one conditional update): the second claim of it fails.
        _ports.SecondFactorStore.TryAdvanceTotpStepAsync(_user.Id, Ports.StartStep, Arg.Any<CancellationToken>()).Returns(true, false);
        Assert.True((await Complete("123456")).IsSuccess);

        var replay = await Complete("123456");

        Assert.Equal(ErrorCodes.InvalidMfaCode, replay.Error!.Code);
        Assert.True(replay.KeepsChanges);
        await _ports.SecondFactorStore.Received(2).TryAdvanceTotpStepAsync(_user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
        await _ports.FailureCountedAsync(_user, times: 1);
        Assert.Single(_ports.Families.ReceivedCalls(), c => c.GetMethodInfo().Name == "Add");
    }

    [Fact]
    public async Task Handle_RightCode_StartsSessionWithPwdAndOtp()
    {
        var result = await Complete("123456");

        Assert.True(result.IsSuccess);
        var family = _ports.SingleAddedFamily();
        Assert.Equal(_user.Id, family.UserId);
        Assert.Equal("pwd otp", family.AuthenticationMethods);
        Assert.Equal(["pwd", "otp"], _ports.SingleAccessTokenRequest().AuthenticationMethods);
        Assert.Equal($"jwt-{family.Id}", result.Value.Token);
        Assert.Equal(_user.Id, result.Value.User.Id);
        var audit = _ports.SingleAudit(AuditEventTypes.LoginSucceeded);
        Assert.Equal(_user.Id, audit.UserId);
        Assert.Equal(["pwd", "otp"], Assert.IsAssignableFrom<IEnumerable<string>>(audit.Details!["amr"]));
        Assert.False(Assert.IsType<bool>(audit.Details["recovery_code"]));
        await _ports.ClaimedAsync(_user);
        await _ports.ReleasedAsync(_user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_RightCodeAfterFailures_ReleasesItsOwnClaimAndErasesNoFailure()
    {
        await Complete("000000");
        await Complete("000000");
        await _ports.FailureCountedAsync(_user, times: 2);

        Assert.True((await Complete("123456")).IsSuccess);

        await _ports.ReleasedAsync(_user, times: 1);
        await _ports.FailureCountedAsync(_user, times: 2);
        await _ports.Throttle.DidNotReceiveWithAnyArgs().ClearAsync(default!, default);
    }

    [Fact]
    public async Task Handle_WrongCodeThatLocks_StillAnswersInvalidMfaCodeAndRaisesAccountLocked()
    {
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);

        var result = await Complete("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(until, _ports.SingleAudit(AuditEventTypes.AccountLocked).Details!["until"]);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_RightRecoveryCode_StartsSessionWithPwdAndOtp()
    {
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var result = await Complete(null, "cd2b-secb-2345");

        Assert.True(result.IsSuccess);
        Assert.Equal("pwd otp", _ports.SingleAddedFamily().AuthenticationMethods);
        Assert.True(Assert.IsType<bool>(_ports.SingleAudit(AuditEventTypes.LoginSucceeded).Details!["recovery_code"]));
        var used = _ports.SingleAudit(AuditEventTypes.RecoveryCodeUsed);
        Assert.Equal(_user.Id, used.UserId);
        Assert.Equal(User.RecoveryCodeCount - 1, used.Details!["left"]);
        Assert.All(_ports.AuditDetailValues(), v => Assert.DoesNotContain("secb", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_WrongRecoveryCode_RefusesInvalidMfaCode()
    {
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var result = await Complete(null, "cd2b-xxxx-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(_user, times: 1);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_RecoveryCodeTheStoreFindsAlreadyUsed_RefusesInvalidMfaCode()
    {
        // A parallel request redeemed it first: the store's conditional update says no.
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(false);

        var result = await Complete(null, "cd2b-secb-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(_user, times: 1);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }
}
