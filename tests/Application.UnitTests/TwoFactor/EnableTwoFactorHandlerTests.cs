using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.TwoFactor.EnableTwoFactor;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class EnableTwoFactorHandlerTests
{
    private const string PendingSecret = "PENDINGSECRET";
    private const string RightPassword = "current password 1";

    private readonly Ports _ports = new();
    private readonly User _user;

    public EnableTwoFactorHandlerTests()
    {
        _user = _ports.NewUser();
        _user.BeginTwoFactorSetup(Ports.Protected(PendingSecret));
        _ports.TotpCode("111111", Ports.StartStep, secret: PendingSecret);
        _ports.Hasher.Hash(Arg.Any<string>()).Returns(call => Ports.SlowHashOf(call.Arg<string>()));
        _ports.Hasher.Verify("stored-hash", RightPassword).Returns(PasswordCheck.Success);
    }

    private Task<Result<RecoveryCodesResponse>> Enable(string code, Guid? userId = null) =>
        new EnableTwoFactorHandler(_ports.Callers, _ports.PasswordConfirmation, _ports.SecondFactor, _ports.RecoveryCodes, _ports.Families, _ports.Secrets, _ports.UnitOfWork, _ports.Clock)
            .Handle(new EnableTwoFactorCommand(Ports.PasswordCaller(userId ?? _user.Id), code, RightPassword), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_RightCodeOfThePendingSecret_TurnsTwoFactorOnAndReleasesTheAttempt()
    {
        var result = await Enable("111111");

        Assert.True(result.IsSuccess);
        Assert.Equal(User.RecoveryCodeCount, result.Value.RecoveryCodes.Count);
        Assert.True(_user.TwoFactorEnabled);
        Assert.Equal(Ports.StartStep, _user.LastTotpStep);
        Assert.Equal(Ports.Protected(PendingSecret), _user.TotpSecret);
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.MfaEnabled).UserId);
        await _ports.ClaimedAsync(_user, times: 2); // the current password, then the code
        await _ports.ReleasedAsync(_user, times: 2);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_RightCode_HashesThePasswordAndEveryRecoveryCodeBeforeItsWritesStart()
    {
        var startedAfterHashes = -1;
        _ports.UnitOfWork.StartWritesAsync(Arg.Any<CancellationToken>()).Returns(_ =>
        {
            startedAfterHashes = _ports.Hasher.ReceivedCalls().Count(c => c.GetMethodInfo().Name is nameof(IPasswordHasher.Hash) or nameof(IPasswordHasher.Verify));
            return Task.CompletedTask;
        });

        var result = await Enable("111111");

        Assert.True(result.IsSuccess);
        // One verification of the password and ten recovery-code hashes, all before the writes.
        Assert.Equal(1 + User.RecoveryCodeCount, startedAfterHashes);
        Assert.Equal(startedAfterHashes, _ports.Hasher.ReceivedCalls().Count(c => c.GetMethodInfo().Name is nameof(IPasswordHasher.Hash) or nameof(IPasswordHasher.Verify)));
    }

    [Fact]
    public async Task Handle_WrongCode_RefusesInvalidMfaCodeCountingOneFailureAndKeepsTheEnrolmentPending()
    {
        var result = await Enable("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.False(_user.TwoFactorEnabled);
        Assert.Equal(Ports.Protected(PendingSecret), _user.PendingTotpSecret);
        await _ports.FailureCountedAsync(_user, times: 1);
        await _ports.ReleasedAsync(_user, times: 1); // the current password's attempt only
        Assert.Equal("enable", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.MfaEnabled);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
    }

    [Fact]
    public async Task Handle_WrongCodeThatTheThrottleSaysLocked_RaisesAccountLockedAndStillAnswersInvalidMfaCode()
    {
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);

        var result = await Enable("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(until, _ports.SingleAudit(AuditEventTypes.AccountLocked).Details!["until"]);
        Assert.False(_user.TwoFactorEnabled);
    }

    [Fact]
    public async Task Handle_ClaimRefused_AnswersAccountLockedWithoutCheckingTheCode()
    {
        _ports.AddressBudgetRefuses();

        var result = await Enable("111111");

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        await _ports.NoFailureCountedAsync();
        Assert.False(_user.TwoFactorEnabled);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_NoEnrolmentInProgress_AnswersConflictWithoutClaiming()
    {
        var user = _ports.NewUser("bob@example.com");

        var result = await Enable("111111", user.Id);

        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
        await _ports.NothingClaimedAsync();
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
    }
}
