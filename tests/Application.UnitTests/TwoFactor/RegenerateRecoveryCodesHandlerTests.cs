using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.TwoFactor.RegenerateRecoveryCodes;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class RegenerateRecoveryCodesHandlerTests
{
    private readonly Ports _ports = new();
    private readonly User _user;
    private readonly IReadOnlyList<Guid> _oldCodes;

    public RegenerateRecoveryCodesHandlerTests()
    {
        _user = _ports.TwoFactorUser();
        _oldCodes = _user.RecoveryCodes.Select(c => c.Id).ToList();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.Hasher.Hash(Arg.Any<string>()).Returns(call => Ports.SlowHashOf(call.Arg<string>()));
    }

    private Task<Result<RecoveryCodesResponse>> Regenerate(string code, Guid? userId = null) =>
        new RegenerateRecoveryCodesHandler(_ports.Callers, _ports.SecondFactor, _ports.RecoveryCodes)
            .Handle(new RegenerateRecoveryCodesCommand(userId ?? _user.Id, code), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_RightCode_ReplacesTheRecoveryCodesAndReleasesTheAttempt()
    {
        var result = await Regenerate("123456");

        Assert.True(result.IsSuccess);
        Assert.Equal(User.RecoveryCodeCount, result.Value.RecoveryCodes.Count);
        Assert.DoesNotContain(_user.RecoveryCodes, c => _oldCodes.Contains(c.Id));
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.RecoveryCodesRegenerated).UserId);
        await _ports.ClaimedAsync(_user);
        await _ports.ReleasedAsync(_user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_WrongCode_RefusesInvalidMfaCodeCountingOneFailureAndKeepsTheOldCodes()
    {
        var result = await Regenerate("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(_oldCodes, _user.RecoveryCodes.Select(c => c.Id));
        await _ports.FailureCountedAsync(_user, times: 1);
        await _ports.NothingReleasedAsync();
        Assert.Equal("recovery_codes", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodesRegenerated);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
    }

    [Fact]
    public async Task Handle_WrongCodeThatTheThrottleSaysLocked_RaisesAccountLockedAndStillAnswersInvalidMfaCode()
    {
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until, scope: IAttemptThrottle.AccountWide);

        var result = await Regenerate("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(until, _ports.SingleAudit(AuditEventTypes.AccountLocked).Details!["until"]);
    }

    [Fact]
    public async Task Handle_ClaimRefused_AnswersAccountLockedWithoutCheckingTheCode()
    {
        _ports.AddressBudgetRefuses();

        var result = await Regenerate("123456");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        await _ports.NoFailureCountedAsync();
        Assert.Equal(_oldCodes, _user.RecoveryCodes.Select(c => c.Id));
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_TwoFactorNotOn_AnswersConflictWithoutClaiming()
    {
        var user = _ports.NewUser("bob@example.com");

        var result = await Regenerate("123456", user.Id);

        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
        await _ports.NothingClaimedAsync();
    }
}
