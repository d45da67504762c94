using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class SecondFactorVerifierTests
{
    private readonly Ports _ports = new();

    private SecondFactorVerifier Verifier => _ports.SecondFactor;

    // ---- TOTP ----

    [Fact]
    public async Task VerifyTotpAsync_WrongCode_ReturnsNullWithoutClaimingAStep()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await Verifier.VerifyTotpAsync(user, "654321", pending: false, CancellationToken.None);

        Assert.Null(step);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
    }

    [Fact]
    public async Task VerifyTotpAsync_RightCode_ReturnsItsStepAndClaimsIt()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep - 1);
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        Assert.Equal(Ports.StartStep, step);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task VerifyTotpAsync_Always_MatchesAgainstTheUnprotectedSecretAtTheClocksTime()
    {
        var user = _ports.TwoFactorUser();
        _ports.Clock.Advance(TimeSpan.FromSeconds(95));

        await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        _ports.Totp.Received(1).Match(Ports.TotpSecret, "123456", _ports.Clock.GetUtcNow());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task VerifyTotpAsync_StepNotNewerThanTheLastOne_IsRefusedByTheStore(int offset)
    {
        // Single use is the store's one conditional update (ADR 0009): the verifier asks it and
        // takes its answer, with no in-memory check beside it.
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.Totp.Match(Ports.TotpSecret, "123456", Arg.Any<DateTimeOffset>()).Returns(Ports.StartStep + offset);
        _ports.SecondFactorStore.TryAdvanceTotpStepAsync(user.Id, Ports.StartStep + offset, Arg.Any<CancellationToken>()).Returns(false);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        Assert.Null(step);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep + offset, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task VerifyTotpAsync_StoreTakesTheStep_AcceptsItWhateverLastStepWasLoaded()
    {
        // The loaded LastTotpStep may be stale; the store's answer is the rule.
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        Assert.Equal(Ports.StartStep, step);
    }

    [Fact]
    public async Task VerifyTotpAsync_StoreLosesTheRace_ReturnsNull()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep - 1);
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.SecondFactorStore.TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>()).Returns(false);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        Assert.Null(step);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task VerifyTotpAsync_PendingTrue_UsesThePendingSecret()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected("PENDINGSECRET"));
        _ports.TotpCode("111111", Ports.StartStep, secret: "PENDINGSECRET");

        var step = await Verifier.VerifyTotpAsync(user, "111111", pending: true, CancellationToken.None);

        Assert.Equal(Ports.StartStep, step);
        _ports.Totp.Received(1).Match("PENDINGSECRET", "111111", Arg.Any<DateTimeOffset>());
    }

    [Fact]
    public async Task VerifyTotpAsync_PendingFalseDuringEnrolment_ReturnsNullWithoutMatching()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected("PENDINGSECRET"));
        _ports.TotpCode("111111", Ports.StartStep, secret: "PENDINGSECRET");

        var step = await Verifier.VerifyTotpAsync(user, "111111", pending: false, CancellationToken.None);

        Assert.Null(step);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
    }

    [Fact]
    public async Task VerifyTotpAsync_PendingTrueWithEnrolledSecretOnly_ReturnsNull()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: true, CancellationToken.None);

        Assert.Null(step);
    }

    // ---- Recovery codes ----

    [Theory]
    [InlineData("cd2a-seca-2345")]
    [InlineData("CD2A-SECA-2345")]
    [InlineData("cd2aseca2345")]
    [InlineData(" Cd2a seCa-2345 ")]
    public async Task RedeemRecoveryCodeAsync_CaseAndSeparators_AreIgnored(string presented)
    {
        var user = _ports.TwoFactorUser();
        var code = user.RecoveryCodes.Single(c => c.Locator == "cd2a");
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(code.Id, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns(true);

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, presented, CancellationToken.None);

        Assert.True(redeemed);
        _ports.Hasher.Received(1).Verify(Ports.SlowHashOf("seca2345"), "seca2345");
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_UnknownLocator_VerifiesAgainstDummyAndReturnsFalse()
    {
        var user = _ports.TwoFactorUser();

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, "zzzz-seca-2345", CancellationToken.None);

        Assert.False(redeemed);
        _ports.Hasher.Received(1).VerifyAgainstDummy(Arg.Any<string>());
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        Assert.Empty(_ports.AuditCalls());
    }

    [Theory]
    [InlineData("cd2a-seca-234")]
    [InlineData("cd2a-seca-23456")]
    [InlineData("")]
    public async Task RedeemRecoveryCodeAsync_WrongLength_VerifiesAgainstDummyAndReturnsFalse(string presented)
    {
        var user = _ports.TwoFactorUser();

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, presented, CancellationToken.None);

        Assert.False(redeemed);
        _ports.Hasher.Received(1).VerifyAgainstDummy(Arg.Any<string>());
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_AlreadyUsedCode_VerifiesAgainstDummyAndReturnsFalse()
    {
        var user = _ports.TwoFactorUser();
        var code = user.RecoveryCodes.Single(c => c.Locator == "cd2a");
        typeof(RecoveryCode).GetProperty(nameof(RecoveryCode.UsedAt))!.SetValue(code, _ports.Clock.GetUtcNow());
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, "cd2a-seca-2345", CancellationToken.None);

        Assert.False(redeemed);
        _ports.Hasher.Received(1).VerifyAgainstDummy(Arg.Any<string>());
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_RightLocatorWrongSecret_ReturnsFalseWithoutRedeeming()
    {
        var user = _ports.TwoFactorUser();
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, "cd2a-secb-2345", CancellationToken.None);

        Assert.False(redeemed);
        _ports.Hasher.Received(1).Verify(Ports.SlowHashOf("seca2345"), "secb2345");
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryRedeemRecoveryCodeAsync(default, default, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_StoreFindsItUsed_ReturnsFalseWithoutAudit()
    {
        var user = _ports.TwoFactorUser();
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(false);

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, "cd2a-seca-2345", CancellationToken.None);

        Assert.False(redeemed);
        await _ports.SecondFactorStore.ReceivedWithAnyArgs(1).TryRedeemRecoveryCodeAsync(default, default, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RecoveryCodeUsed);
    }

    [Fact]
    public async Task RedeemRecoveryCodeAsync_RightCode_RedeemsThatCodeNowAndAuditsWithoutTheCode()
    {
        var user = _ports.TwoFactorUser();
        var code = user.RecoveryCodes.Single(c => c.Locator == "cd2c");
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);
        _ports.Clock.Advance(TimeSpan.FromMinutes(2));

        var redeemed = await Verifier.RedeemRecoveryCodeAsync(user, "cd2c-secc-2345", CancellationToken.None);

        Assert.True(redeemed);
        await _ports.SecondFactorStore.Received(1).TryRedeemRecoveryCodeAsync(code.Id, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        var audit = _ports.SingleAudit(AuditEventTypes.RecoveryCodeUsed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(9, audit.Details!["left"]);
        Assert.All(Ports.DetailValues(audit), v => Assert.DoesNotContain("secc", v, StringComparison.Ordinal));
        _ports.Hasher.DidNotReceive().VerifyAgainstDummy(Arg.Any<string>());
    }

    [Fact]
    public async Task VerifyAnyAsync_RecoveryCodeOnly_RedeemsIt()
    {
        var user = _ports.TwoFactorUser();
        _ports.SecondFactorStore.TryRedeemRecoveryCodeAsync(default, default, default).ReturnsForAnyArgs(true);

        Assert.True(await Verifier.VerifyAnyAsync(user, null, "cd2a-seca-2345", CancellationToken.None));
        Assert.False(await Verifier.VerifyAnyAsync(user, null, null, CancellationToken.None));
    }

    // ---- Lock and failures ----

    [Fact]
    public void IsLocked_UserLockedInStore_TrueUntilTheLockEnds()
    {
        var user = _ports.TwoFactorUser();
        var until = _ports.Clock.GetUtcNow() + TimeSpan.FromMinutes(15);
        Ports.LockedInStore(user, until);

        Assert.True(Verifier.IsLocked(user));
        _ports.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.False(Verifier.IsLocked(user));
        Assert.Same(Error.AccountLocked, SecondFactorVerifier.Locked);
    }

    [Fact]
    public async Task RecordFailureAsync_NotLocking_HasTheStoreCountItAndRefusesInvalidMfaCodeKeepingIt()
    {
        var user = _ports.TwoFactorUser();

        var result = await Verifier.RecordFailureAsync(user, "login", CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
        var audit = _ports.SingleAudit(AuditEventTypes.MfaFailed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal("login", audit.Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type is AuditEventTypes.AccountLocked or AuditEventTypes.LoginFailed);
    }

    [Fact]
    public async Task RecordFailureAsync_ThatTheStoreSaysLocked_RaisesAccountLockedAndStillAnswersInvalidMfaCode()
    {
        var user = _ports.TwoFactorUser();
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.StoreLocksTheAccount(user, until);

        var result = await Verifier.RecordFailureAsync(user, "login", CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        var locked = _ports.SingleAudit(AuditEventTypes.AccountLocked);
        Assert.Equal(user.Id, locked.UserId);
        Assert.Equal(until, locked.Details!["until"]);
        Assert.Single(_ports.AuditCalls(), c => c.Type == AuditEventTypes.MfaFailed);
    }

    [Fact]
    public async Task RecordFailureAsync_Always_PassesTheConfiguredLockoutPolicyToTheStore()
    {
        _ports.Lockout.MaxFailedAttempts = 2;
        _ports.Lockout.Window = TimeSpan.FromMinutes(3);
        var user = _ports.TwoFactorUser();

        await Verifier.RecordFailureAsync(user, "step_up", CancellationToken.None);

        await _ports.Users.Received(1).RecordFailedLoginAsync(
            user, new LockoutPolicy(2, TimeSpan.FromMinutes(3), _ports.Lockout.Duration), _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
    }
}
