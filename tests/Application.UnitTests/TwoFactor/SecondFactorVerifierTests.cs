using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class SecondFactorVerifierTests
{
    private readonly Ports _ports = new();

    private SecondFactorVerifier Verifier => _ports.SecondFactor;

    private Task<Result<long>> CheckTotp(User user, string code, bool pending = false) =>
        Verifier.CheckTotpAsync(user, code, pending, "login", CancellationToken.None);

    private Task<Result> CheckRecoveryCode(User user, string recoveryCode) =>
        Verifier.CheckAnyAsync(user, null, recoveryCode, "login", CancellationToken.None);

    // ---- TOTP ----

    [Fact]
    public async Task CheckTotpAsync_WrongCode_RefusesInvalidMfaCodeCountingOneFailureWithoutClaimingAStep()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await CheckTotp(user, "654321");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        await _ports.ClaimedAsync(user);
        await _ports.FailureCountedAsync(user, times: 1);
        await _ports.NothingReleasedAsync();
        var audit = _ports.SingleAudit(AuditEventTypes.MfaFailed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal("login", audit.Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type is AuditEventTypes.AccountLocked or AuditEventTypes.LoginFailed);
    }

    [Fact]
    public async Task CheckTotpAsync_RightCode_AnswersItsStepClaimsItAndReleasesTheAttempt()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep - 1);
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await CheckTotp(user, "123456");

        Assert.Equal(Ports.StartStep, step.Value);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
        await _ports.ClaimedAsync(user);
        await _ports.ReleasedAsync(user);
        await _ports.NoFailureCountedAsync();
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task CheckTotpAsync_Always_ClaimsTheAttemptBeforeEvaluatingTheCode()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        await CheckTotp(user, "123456");

        Received.InOrder(() =>
        {
            _ = _ports.Throttle.TryClaimAsync(
                Ports.AccountKey(user.Email.Value), Ports.AddressScope, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
            _ = _ports.Throttle.TryClaimAsync(
                Ports.AccountKey(user.Email.Value), IAttemptThrottle.AccountWide, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
            _ports.Totp.Match(Ports.TotpSecret, "123456", Arg.Any<DateTimeOffset>());
            _ = _ports.SecondFactorStore.TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
            _ = _ports.Throttle.ReleaseAsync(Ports.AccountKey(user.Email.Value), Ports.AddressScope, Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task CheckTotpAsync_ClaimRefused_AnswersAccountLockedWithoutEvaluatingOrCounting()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.AddressBudgetRefuses();

        var result = await CheckTotp(user, "123456");

        Assert.Same(Error.AccountLocked, result.Error);
        Assert.False(result.KeepsChanges);
        _ports.Protector.DidNotReceiveWithAnyArgs().Unprotect(default!);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        await _ports.NoFailureCountedAsync();
        await _ports.NothingReleasedAsync();
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task CheckTotpAsync_AccountWideBudgetSpentFromAKnownAddress_EvaluatesTheCode()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.AccountWideBudgetRefuses();
        _ports.KnownAddress(user);

        var step = await CheckTotp(user, "123456");

        Assert.Equal(Ports.StartStep, step.Value);
        await _ports.Throttle.Received(1).ReleaseAsync(Ports.AccountKey(user.Email.Value), Ports.AddressScope, Arg.Any<CancellationToken>());
        Assert.Equal(1, _ports.ThrottleCalls(nameof(IAttemptThrottle.ReleaseAsync)));
    }

    [Fact]
    public async Task CheckTotpAsync_WrongCodeThatTheThrottleSaysLocked_RaisesAccountLockedAndStillAnswersInvalidMfaCode()
    {
        var user = _ports.TwoFactorUser();
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);

        var result = await CheckTotp(user, "000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        var locked = _ports.SingleAudit(AuditEventTypes.AccountLocked);
        Assert.Equal(user.Id, locked.UserId);
        Assert.Equal(until, locked.Details!["until"]);
        Assert.Single(_ports.AuditCalls(), c => c.Type == AuditEventTypes.MfaFailed);
    }

    [Fact]
    public async Task CheckTotpAsync_Always_PassesTheConfiguredLockoutPolicyAtTheClocksTimeToTheThrottle()
    {
        _ports.Lockout.MaxFailedAttempts = 2;
        _ports.Lockout.Window = TimeSpan.FromMinutes(3);
        _ports.Lockout.AccountMaxFailedAttempts = 20;
        var user = _ports.TwoFactorUser();
        _ports.Clock.Advance(TimeSpan.FromSeconds(7));

        await Verifier.CheckTotpAsync(user, "000000", pending: false, "step_up", CancellationToken.None);

        var policy = new LockoutPolicy(2, TimeSpan.FromMinutes(3), _ports.Lockout.Duration, 20);
        var account = Ports.AccountKey(user.Email.Value);
        var at = Ports.Start.AddSeconds(7);
        await _ports.Throttle.Received(1).TryClaimAsync(account, Ports.AddressScope, 2, policy, at, Arg.Any<CancellationToken>());
        await _ports.Throttle.Received(1).TryClaimAsync(account, IAttemptThrottle.AccountWide, 20, policy, at, Arg.Any<CancellationToken>());
        await _ports.Throttle.Received(1).FailAsync(account, Ports.AddressScope, true, 2, policy, at, Arg.Any<CancellationToken>());
        await _ports.Throttle.Received(1).FailAsync(account, IAttemptThrottle.AccountWide, true, 20, policy, at, Arg.Any<CancellationToken>());
        Assert.Equal("step_up", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
    }

    [Fact]
    public async Task CheckTotpAsync_Always_MatchesAgainstTheUnprotectedSecretAtTheClocksTime()
    {
        var user = _ports.TwoFactorUser();
        _ports.Clock.Advance(TimeSpan.FromSeconds(95));

        await CheckTotp(user, "123456");

        _ports.Totp.Received(1).Match(Ports.TotpSecret, "123456", _ports.Clock.GetUtcNow());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task CheckTotpAsync_StepNotNewerThanTheLastOne_IsRefusedByTheStoreAndCounted(int offset)
    {
        // Single use is the store's one conditional update (ADR 0009): the verifier asks it and
        // takes its answer, with no in-memory check beside it.
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.Totp.Match(Ports.TotpSecret, "123456", Arg.Any<DateTimeOffset>()).Returns(Ports.StartStep + offset);
        _ports.SecondFactorStore.TryAdvanceTotpStepAsync(user.Id, Ports.StartStep + offset, Arg.Any<CancellationToken>()).Returns(false);

        var result = await CheckTotp(user, "123456");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep + offset, Arg.Any<CancellationToken>());
        await _ports.FailureCountedAsync(user, times: 1);
    }

    [Fact]
    public async Task CheckTotpAsync_StoreTakesTheStep_AcceptsItWhateverLastStepWasLoaded()
    {
        // The loaded LastTotpStep may be stale; the store's answer is the rule.
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await CheckTotp(user, "123456");

        Assert.Equal(Ports.StartStep, step.Value);
    }

    [Fact]
    public async Task CheckTotpAsync_StoreLosesTheRace_RefusesInvalidMfaCodeAndCountsIt()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep - 1);
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.SecondFactorStore.TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>()).Returns(false);

        var result = await CheckTotp(user, "123456");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
        await _ports.FailureCountedAsync(user, times: 1);
        await _ports.NothingReleasedAsync();
    }

    [Fact]
    public async Task CheckTotpAsync_PendingTrue_UsesThePendingSecret()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected("PENDINGSECRET"));
        _ports.TotpCode("111111", Ports.StartStep, secret: "PENDINGSECRET");

        var step = await CheckTotp(user, "111111", pending: true);

        Assert.Equal(Ports.StartStep, step.Value);
        _ports.Totp.Received(1).Match("PENDINGSECRET", "111111", Arg.Any<DateTimeOffset>());
    }

    [Fact]
    public async Task CheckTotpAsync_PendingFalseDuringEnrolment_RefusesWithoutMatchingAndCountsIt()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected("PENDINGSECRET"));
        _ports.TotpCode("111111", Ports.StartStep, secret: "PENDINGSECRET");

        var result = await CheckTotp(user, "111111");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.FailureCountedAsync(user, times: 1);
    }

    [Fact]
    public async Task CheckTotpAsync_PendingTrueWithEnrolledSecretOnly_RefusesInvalidMfaCode()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await CheckTotp(user, "123456", pending: true);

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
    }

    // ---- Either factor ----

    [Fact]
    public async Task CheckAnyAsync_RightTotpCode_SucceedsAndReleasesTheAttempt()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Verifier.CheckAnyAsync(user, "123456", null, "login", CancellationToken.None);

        Assert.True(result.IsSuccess);
        await _ports.ClaimedAsync(user);
        await _ports.ReleasedAsync(user);
        await _ports.NoFailureCountedAsync();
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
    }

    [Fact]
    public async Task CheckAnyAsync_WrongTotpCode_RefusesInvalidMfaCodeWithTheGivenReason()
    {
        var user = _ports.TwoFactorUser();

        var result = await Verifier.CheckAnyAsync(user, "000000", null, "disable", CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.Equal("disable", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
    }

    [Fact]
    public async Task CheckAnyAsync_ClaimRefused_AnswersAccountLockedWithoutEvaluatingEitherFactor()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);
        _ports.AddressBudgetRefuses();

        var byCode = await Verifier.CheckAnyAsync(user, "123456", null, "login", CancellationToken.None);
        var byRecoveryCode = await CheckRecoveryCode(user, "cd2a-seca-2345");

        Assert.Same(Error.AccountLocked, byCode.Error);
        Assert.Same(Error.AccountLocked, byRecoveryCode.Error);
        Assert.False(byCode.KeepsChanges);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        _ports.Hasher.DidNotReceiveWithAnyArgs().VerifyAgainstDummy(default!);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        await _ports.NoFailureCountedAsync();
        Assert.Equal(User.RecoveryCodeCount, user.RecoveryCodesLeft);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task CheckAnyAsync_NeitherFactor_RefusesAndCountsAFailure()
    {
        var user = _ports.TwoFactorUser();

        var result = await Verifier.CheckAnyAsync(user, null, null, "login", CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        await _ports.FailureCountedAsync(user, times: 1);
    }

    // ---- Recovery codes ----

    [Theory]
    [InlineData("cd2a-seca-2345")]
    [InlineData("CD2A-SECA-2345")]
    [InlineData("cd2aseca2345")]
    [InlineData(" Cd2a seCa-2345 ")]
    public async Task CheckAnyAsync_RecoveryCodeInAnyCaseOrSeparators_RedeemsIt(string presented)
    {
        var user = _ports.TwoFactorUser();
        var code = user.RecoveryCodes.Single(c => c.Locator == "cd2a");
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(code.Id, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(true);

        var result = await CheckRecoveryCode(user, presented);

        Assert.True(result.IsSuccess);
        _ports.Hasher.Received(1).Verify(Ports.SlowHashOf("seca2345"), "seca2345");
        await _ports.ReleasedAsync(user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task CheckAnyAsync_UnknownRecoveryCodeLocator_VerifiesAgainstDummyAndCountsAFailure()
    {
        var user = _ports.TwoFactorUser();

        var result = await CheckRecoveryCode(user, "zzzz-seca-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        _ports.Hasher.Received(1).VerifyAgainstDummy(Arg.Any<string>());
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
    }

    [Theory]
    [InlineData("cd2a-seca-234")]
    [InlineData("cd2a-seca-23456")]
    [InlineData("")]
    public async Task CheckAnyAsync_RecoveryCodeOfWrongLength_VerifiesAgainstDummyAndCountsAFailure(string presented)
    {
        var user = _ports.TwoFactorUser();

        var result = await CheckRecoveryCode(user, presented);

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        _ports.Hasher.Received(1).VerifyAgainstDummy(Arg.Any<string>());
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.FailureCountedAsync(user, times: 1);
    }

    [Fact]
    public async Task CheckAnyAsync_AlreadyUsedRecoveryCode_VerifiesAgainstDummyAndRefuses()
    {
        var user = _ports.TwoFactorUser();
        var code = user.RecoveryCodes.Single(c => c.Locator == "cd2a");
        typeof(RecoveryCode).GetProperty(nameof(RecoveryCode.UsedAt))!.SetValue(code, _ports.Clock.GetUtcNow());
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var result = await CheckRecoveryCode(user, "cd2a-seca-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        _ports.Hasher.Received(1).VerifyAgainstDummy(Arg.Any<string>());
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        await _ports.FailureCountedAsync(user, times: 1);
    }

    [Fact]
    public async Task CheckAnyAsync_RecoveryCodeRightLocatorWrongSecret_RefusesWithoutRedeeming()
    {
        var user = _ports.TwoFactorUser();
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var result = await CheckRecoveryCode(user, "cd2a-secb-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        _ports.Hasher.Received(1).Verify(Ports.SlowHashOf("seca2345"), "secb2345");
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
    }

    [Fact]
    public async Task CheckAnyAsync_RecoveryCodeTheStoreFindsUsed_RefusesWithoutAudit()
    {
        var user = _ports.TwoFactorUser();
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(false);

        var result = await CheckRecoveryCode(user, "cd2a-seca-2345");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        await _ports.SecondFactorStore.ReceivedWithAnyArgs(1).TryRedeemRecoveryCodeAsync(default, default, default);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
    }

    [Fact]
    public async Task CheckAnyAsync_RightRecoveryCode_RedeemsThatCodeNowAndAuditsWithoutTheCode()
    {
        var user = _ports.TwoFactorUser();
        var code = user.RecoveryCodes.Single(c => c.Locator == "cd2c");
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);
        _ports.Clock.Advance(TimeSpan.FromMinutes(2));

        var result = await CheckRecoveryCode(user, "cd2c-secc-2345");

        Assert.True(result.IsSuccess);
        await _ports.SecondFactorStore.Received(1).TryRedeemRecoveryCodeAsync(code.Id, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        var audit = _ports.SingleAudit(AuditEventTypes.RecoveryCodeUsed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(9, audit.Details!["left"]);
        Assert.All(Ports.DetailValues(audit), v => Assert.DoesNotContain("secc", v, StringComparison.Ordinal));
        _ports.Hasher.DidNotReceive().VerifyAgainstDummy(Arg.Any<string>());
    }
}
