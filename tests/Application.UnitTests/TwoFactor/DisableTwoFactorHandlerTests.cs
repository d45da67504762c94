using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.DisableTwoFactor;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class DisableTwoFactorHandlerTests
{
    private readonly Ports _ports = new();
    private readonly User _user;

    public DisableTwoFactorHandlerTests()
    {
        _user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);
    }

    private Task<Result> Disable(string? code, string? recoveryCode = null, Guid? userId = null) =>
        new DisableTwoFactorHandler(_ports.Callers, _ports.SecondFactor, _ports.Families, _ports.Secrets, _ports.UnitOfWork, _ports.Clock)
            .Handle(new DisableTwoFactorCommand(Ports.PasswordCaller(userId ?? _user.Id), code, recoveryCode), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_RightCode_TurnsTwoFactorOffAndReleasesTheAttempt()
    {
        var result = await Disable("123456");

        Assert.True(result.IsSuccess);
        Assert.False(_user.TwoFactorEnabled);
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.MfaDisabled).UserId);
        await _ports.ClaimedAsync(_user);
        await _ports.ReleasedAsync(_user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_RightRecoveryCode_TurnsTwoFactorOff()
    {
        var result = await Disable(null, "cd2a-seca-2345");

        Assert.True(result.IsSuccess);
        Assert.False(_user.TwoFactorEnabled);
        await _ports.ReleasedAsync(_user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_WrongCode_RefusesInvalidMfaCodeCountingOneFailureAndKeepsTwoFactorOn()
    {
        var result = await Disable("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.True(_user.TwoFactorEnabled);
        await _ports.FailureCountedAsync(_user, times: 1);
        await _ports.NothingReleasedAsync();
        Assert.Equal("disable", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.MfaDisabled);
    }

    [Fact]
    public async Task Handle_WrongRecoveryCode_RefusesInvalidMfaCodeCountingOneFailure()
    {
        var result = await Disable(null, "cd2a-secb-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.True(_user.TwoFactorEnabled);
        await _ports.FailureCountedAsync(_user, times: 1);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
    }

    [Fact]
    public async Task Handle_ClaimRefused_AnswersAccountLockedWithoutCheckingEitherFactor()
    {
        _ports.AddressBudgetRefuses();

        var byCode = await Disable("123456");
        var byRecoveryCode = await Disable(null, "cd2a-seca-2345");

        Assert.Equal(ErrorCodes.AccountLocked, byCode.Error!.Code);
        Assert.Equal(ErrorCodes.AccountLocked, byRecoveryCode.Error!.Code);
        Assert.True(_user.TwoFactorEnabled);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        _ports.Hasher.DidNotReceiveWithAnyArgs().VerifyAgainstDummy(default!);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        await _ports.NoFailureCountedAsync();
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_TwoFactorNotOn_AnswersConflictWithoutClaiming()
    {
        var user = _ports.NewUser("bob@example.com");

        var result = await Disable("123456", userId: user.Id);

        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
        await _ports.NothingClaimedAsync();
    }
}
