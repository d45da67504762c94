using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.LoginWithSecondFactor;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class LoginHandlerTwoFactorTests
{
    private const string RightPassword = "correct horse battery";

    private readonly Ports _ports = new();
    private readonly User _user;

    public LoginHandlerTwoFactorTests()
    {
        _user = _ports.TwoFactorUser();
        _ports.Hasher.Verify("stored-hash", RightPassword).Returns(PasswordCheck.Success);
        _ports.MfaTokens.IssueAsync(_user.Id, SecurityStamps.Fingerprint(_user.SecurityStamp), Arg.Any<CancellationToken>()).Returns(new IssuedMfaToken("mfa-token-1", 300));
        _ports.MfaChallengeFor(_user);
    }

    private Task<Result<LoginResponse>> Login(string password = RightPassword) =>
        new LoginHandler(new PasswordSignIn(_ports.Users, _ports.Hasher, _ports.Attempts, _ports.DomainEvents), _ports.Sessions, _ports.MfaTokens)
            .Handle(new LoginCommand("alice@example.com", password), CancellationToken.None).AsTask();

    private Task<Result<SessionResponse>> SecondStep(string code) =>
        new LoginWithSecondFactorHandler(_ports.MfaTokens, _ports.Users, _ports.SecondFactor, _ports.SecondFactorStore, _ports.Sessions)
            .Handle(new LoginWithSecondFactorCommand("mfa-token-1", code, null), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_TwoFactorOnWithRightPassword_ReturnsChallengeWithoutSession()
    {
        var result = await Login();

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.Session);
        var challenge = result.Value.Challenge!;
        Assert.True(challenge.MfaRequired);
        Assert.Equal("mfa-token-1", challenge.MfaToken);
        Assert.Equal(300, challenge.ExpiresIn);
        await _ports.MfaTokens.Received(1).IssueAsync(_user.Id, SecurityStamps.Fingerprint(_user.SecurityStamp), Arg.Any<CancellationToken>());
        await _ports.ReleasedAsync(_user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_TwoFactorOnWithRightPassword_StartsNoSessionAndSignsNoToken()
    {
        await Login();

        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        _ports.Secrets.DidNotReceiveWithAnyArgs().NewSecret(default);
        var verified = _ports.SingleAudit(AuditEventTypes.LoginPasswordVerified);
        Assert.Equal(_user.Id, verified.UserId);
        Assert.Equal("2fa", verified.Details!["next"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginSucceeded);
    }

    [Fact]
    public async Task Handle_TwoFactorOnWithWrongPassword_IssuesNoChallenge()
    {
        _ports.Hasher.Verify("stored-hash", "wrong password here").Returns(PasswordCheck.Failed);

        var result = await Login("wrong password here");

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        await _ports.MfaTokens.DidNotReceiveWithAnyArgs().IssueAsync(default, default!, default);
        await _ports.FailureCountedAsync(_user, times: 1);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginPasswordVerified);
    }

    [Fact]
    public async Task Handle_TwoFactorOnWithClaimRefused_IssuesNoChallengeWithoutVerifying()
    {
        _ports.AddressBudgetRefuses();

        var result = await Login();

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.MfaTokens.DidNotReceiveWithAnyArgs().IssueAsync(default, default!, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginPasswordVerified);
    }

    [Fact]
    public async Task Handle_TwoFactorOnAfterNineWrongCodes_PasswordStepErasesNoFailure()
    {
        await Login();
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(ErrorCodes.InvalidMfaCode, (await SecondStep("000000")).Error!.Code);
        }

        await _ports.FailureCountedAsync(_user, times: 9);

        Assert.True((await Login()).IsSuccess);

        // Knowing the password clears nothing: each right secret only ends its own attempt.
        await _ports.ReleasedAsync(_user, times: 2);
        await _ports.Throttle.DidNotReceiveWithAnyArgs().ClearAsync(default!, default);

        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);
        var tenth = await SecondStep("000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, tenth.Error!.Code);
        Assert.True(tenth.KeepsChanges);
        await _ports.FailureCountedAsync(_user, times: 10);
        var locked = _ports.SingleAudit(AuditEventTypes.AccountLocked);
        Assert.Equal(_user.Id, locked.UserId);
        Assert.Equal(until, locked.Details!["until"]);
        Assert.Equal(10, _ports.AuditCalls().Count(c => c.Type == AuditEventTypes.MfaFailed));
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginSucceeded);

        // The next code is not even evaluated once the throttle refuses the claim.
        _ports.AddressBudgetRefuses();
        _ports.Totp.ClearReceivedCalls();
        Assert.Equal(ErrorCodes.AccountLocked, (await SecondStep("000000")).Error!.Code);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.FailureCountedAsync(_user, times: 10);
    }
}
