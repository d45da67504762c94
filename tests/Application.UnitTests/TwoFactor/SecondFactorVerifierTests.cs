using System.Text.RegularExpressions;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;

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

    [Fact]
    public async Task VerifyTotpAsync_StepEqualToLastAccepted_ReturnsNull()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.TotpCode("123456", Ports.StartStep);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        Assert.Null(step);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
    }

    [Fact]
    public async Task VerifyTotpAsync_StepOlderThanLastAccepted_ReturnsNull()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.TotpCode("123456", Ports.StartStep - 1);

        var step = await Verifier.VerifyTotpAsync(user, "123456", pending: false, CancellationToken.None);

        Assert.Null(step);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
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
        Assert.Equal("left=9", audit.Details);
        Assert.DoesNotContain("secc", audit.Details!, StringComparison.Ordinal);
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

    // ---- New recovery codes ----

    [Fact]
    public void NewRecoveryCodes_Always_GivesTenDistinctCodesInTheDocumentedShape()
    {
        var user = _ports.NewUser();
        var alphabet = Regex.Escape(SecondFactorVerifier.RecoveryAlphabet);
        var shape = new Regex($"^[{alphabet}]{{4}}-[{alphabet}]{{4}}-[{alphabet}]{{4}}$");
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");

        var (codes, entities) = Verifier.NewRecoveryCodes(user);

        Assert.Equal(User.RecoveryCodeCount, codes.Count);
        Assert.Equal(User.RecoveryCodeCount, entities.Count);
        Assert.All(codes, c => Assert.Matches(shape, c));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NewRecoveryCodes_Always_StoresOnlyTheHashOfTheEightCharacterSecret()
    {
        var user = _ports.NewUser();
        _ports.Hasher.Hash(Arg.Any<string>()).Returns(call => Ports.SlowHashOf(call.Arg<string>()));

        var (codes, entities) = Verifier.NewRecoveryCodes(user);

        var hashed = _ports.Hasher.ReceivedCalls()
            .Where(c => c.GetMethodInfo().Name == nameof(IPasswordHasher.Hash))
            .Select(c => (string)c.GetArguments()[0]!)
            .ToList();
        var secrets = codes.Select(c => c[5..9] + c[10..]).ToList();
        Assert.Equal(secrets, hashed);
        Assert.All(hashed, h => Assert.Equal(SecondFactorVerifier.SecretLength, h.Length));
        for (var i = 0; i < codes.Count; i++)
        {
            Assert.Equal(user.Id, entities[i].UserId);
            Assert.Equal(codes[i][..4], entities[i].Locator);
            Assert.Equal(Ports.SlowHashOf(secrets[i]), entities[i].CodeHash);
            Assert.Null(entities[i].UsedAt);
            Assert.Equal(_ports.Clock.GetUtcNow(), entities[i].CreatedAt);
        }
    }

    [Fact]
    public void NewRecoveryCodes_Always_HasDistinctLocatorsAndIds()
    {
        var user = _ports.NewUser();
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");

        for (var round = 0; round < 20; round++)
        {
            var (_, entities) = Verifier.NewRecoveryCodes(user);

            Assert.Equal(entities.Count, entities.Select(e => e.Locator).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(entities.Count, entities.Select(e => e.Id).Distinct().Count());
        }
    }

    [Fact]
    public void NewRecoveryCodes_Result_IsAcceptedByTheUser()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected(Ports.TotpSecret));
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("slow-hash");

        var (_, entities) = Verifier.NewRecoveryCodes(user);
        user.EnableTwoFactor(Ports.StartStep, entities, _ports.Clock.GetUtcNow());

        Assert.Equal(User.RecoveryCodeCount, user.RecoveryCodesLeft);
    }

    // ---- Failures ----

    [Fact]
    public async Task RecordFailure_First_CountsAFailedLoginAndAuditsMfaFailed()
    {
        var user = _ports.TwoFactorUser();

        var error = await Verifier.RecordFailureAsync(user, "login", CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidMfaCode, error.Code);
        Assert.Equal(1, user.FailedLoginCount);
        Assert.False(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        var audit = _ports.SingleAudit(AuditEventTypes.MfaFailed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal("reason=login", audit.Details);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.AccountLocked);
    }

    [Fact]
    public async Task RecordFailure_Tenth_LocksTheAccountAndAuditsAccountLocked()
    {
        var user = _ports.TwoFactorUser();

        for (var i = 0; i < 9; i++)
        {
            await Verifier.RecordFailureAsync(user, "login", CancellationToken.None);
        }

        Assert.False(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.AccountLocked);

        var error = await Verifier.RecordFailureAsync(user, "login", CancellationToken.None);

        Assert.Equal(ErrorCodes.InvalidMfaCode, error.Code);
        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        Assert.Equal(_ports.Clock.GetUtcNow() + _ports.Lockout.Duration, user.LockedUntil);
        Assert.Equal(user.Id, _ports.SingleAudit(AuditEventTypes.AccountLocked).UserId);
        Assert.Equal(10, _ports.AuditCalls().Count(c => c.Type == AuditEventTypes.MfaFailed));
    }

    [Fact]
    public async Task RecordFailure_LockoutOptions_AreHonoured()
    {
        _ports.Lockout.MaxFailedAttempts = 2;
        var user = _ports.TwoFactorUser();

        await Verifier.RecordFailureAsync(user, "step_up", CancellationToken.None);
        await Verifier.RecordFailureAsync(user, "step_up", CancellationToken.None);

        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
    }
}
