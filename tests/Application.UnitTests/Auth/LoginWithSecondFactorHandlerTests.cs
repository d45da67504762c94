using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;
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
        new LoginWithSecondFactorHandler(_ports.MfaTokens, _ports.Users, _ports.SecondFactor, _ports.Sessions, _ports.Audit)
            .Handle(new LoginWithSecondFactorCommand(token, code, recoveryCode), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_InvalidMfaToken_AnswersInvalidTokenWithoutCheckingTheCode()
    {
        var result = await Complete("123456", token: "forged");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
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
    public async Task Handle_LockedUser_AnswersAccountLockedWithoutCheckingTheCode()
    {
        var policy = new LockoutPolicy(_ports.Lockout.MaxFailedAttempts, _ports.Lockout.Window, _ports.Lockout.Duration);
        for (var i = 0; i < policy.MaxFailedAttempts; i++)
        {
            _user.RecordFailedLogin(_ports.Clock.GetUtcNow(), policy);
        }

        var result = await Complete("123456");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_WrongCode_RefusesInvalidMfaCodeAndKeepsTheFailure()
    {
        var result = await Complete("000000");

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(1, _user.FailedLoginCount);
        Assert.Equal("reason=login", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
    }

    [Fact]
    public async Task Handle_ReplayedCode_RefusesInvalidMfaCode()
    {
        Assert.True((await Complete("123456")).IsSuccess);
        _user.GetType().GetProperty(nameof(User.LastTotpStep))!.SetValue(_user, Ports.StartStep); // what the store's update did

        var replay = await Complete("123456");

        Assert.Equal(ErrorCodes.InvalidMfaCode, replay.Error!.Code);
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
        Assert.Equal("amr=pwd+otp", audit.Details);
    }

    [Fact]
    public async Task Handle_RightCodeAfterFailures_ResetsTheFailureCounter()
    {
        await Complete("000000");
        await Complete("000000");
        Assert.Equal(2, _user.FailedLoginCount);

        await Complete("123456");

        Assert.Equal(0, _user.FailedLoginCount);
    }

    [Fact]
    public async Task Handle_RightRecoveryCode_StartsSessionWithPwdAndOtp()
    {
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var result = await Complete(null, "cd2b-secb-2345");

        Assert.True(result.IsSuccess);
        Assert.Equal("pwd otp", _ports.SingleAddedFamily().AuthenticationMethods);
        Assert.Contains("recovery_code", _ports.SingleAudit(AuditEventTypes.LoginSucceeded).Details);
        Assert.Single(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
    }

    [Fact]
    public async Task Handle_WrongRecoveryCode_RefusesInvalidMfaCode()
    {
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var result = await Complete(null, "cd2b-xxxx-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }
}
