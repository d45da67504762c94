using AuthPlatform.Application.Auth.ChangePassword;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class ChangePasswordHandlerTests
{
    private const string Current = "current password 1";
    private const string New = "brand new password 2";

    private readonly Ports _ports = new();
    private readonly User _user;

    public ChangePasswordHandlerTests()
    {
        _user = _ports.NewUser();
        _ports.Hasher.Verify("stored-hash", Current).Returns(PasswordCheck.Success);
        _ports.Hasher.Verify("stored-hash", Arg.Is<string>(p => p != Current)).Returns(PasswordCheck.Failed);
        _ports.Hasher.Hash(New).Returns("new-hash");
    }

    private Task<Result> Change(string currentPassword, Guid? currentSessionId = null, Guid? userId = null, string? stepUpCode = null) =>
        new ChangePasswordHandler(_ports.Callers, _ports.Families, _ports.Hasher, _ports.Secrets, _ports.Attempts, _ports.StepUp, _ports.UnitOfWork, _ports.Clock)
            .Handle(
                new ChangePasswordCommand(Ports.PasswordCaller(userId ?? _user.Id, currentSessionId), currentPassword, New, stepUpCode),
                CancellationToken.None).AsTask();

    private RefreshTokenFamily Session(string token) => _ports.StoredFamily(_user.Id, token);

    [Fact]
    public async Task Handle_WrongCurrentPassword_RefusesWithInvalidCredentialsAndKeepsPassword()
    {
        var stamp = _user.SecurityStamp;

        var result = await Change("not the password");

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal("stored-hash", _user.PasswordHash);
        Assert.Equal(stamp, _user.SecurityStamp);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.PasswordChanged);
    }

    [Fact]
    public async Task Handle_WrongCurrentPassword_ClaimsAndCountsItLikeAFailedLogin()
    {
        var result = await Change("not the password");

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        await _ports.ClaimedAsync(_user);
        await _ports.FailureCountedAsync(_user, times: 1);
        await _ports.NothingReleasedAsync();
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Equal(_user.Id, audit.UserId);
        Assert.Equal(FailureReasons.WrongCurrentPassword, audit.Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.AccountLocked);
        Assert.All(_ports.AuditDetailValues(), v => Assert.DoesNotContain("not the password", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_WrongCurrentPasswordThatTheThrottleSaysLocked_RaisesAccountLockedAndKeepsIt()
    {
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);

        var result = await Change("not the password");

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(_user, times: 1);
        Assert.Equal(until, _ports.SingleAudit(AuditEventTypes.AccountLocked).Details!["until"]);
        Assert.Equal("stored-hash", _user.PasswordHash);
    }

    [Fact]
    public async Task Handle_ClaimRefused_RefusesAccountLockedWithoutVerifyingOrCounting()
    {
        _ports.AddressBudgetRefuses();

        var result = await Change(Current);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.NoFailureCountedAsync();
        Assert.Equal("stored-hash", _user.PasswordHash);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }

    [Fact]
    public async Task Handle_AccountWideBudgetSpentFromAKnownAddress_ChangesThePassword()
    {
        _ports.AccountWideBudgetRefuses();
        _ports.KnownAddress(_user);

        var result = await Change(Current);

        Assert.True(result.IsSuccess);
        Assert.Equal("new-hash", _user.PasswordHash);
        await _ports.Throttle.Received(1).ReleaseAsync(Ports.AccountKey(_user.Email.Value), Ports.AddressScope, Arg.Any<CancellationToken>());
        Assert.Equal(1, _ports.ThrottleCalls(nameof(IAttemptThrottle.ReleaseAsync)));
    }

    [Fact]
    public async Task Handle_UnknownUser_ReturnsNotFound()
    {
        var result = await Change(Current, userId: Guid.NewGuid());

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
        await _ports.NothingClaimedAsync();
    }

    [Fact]
    public async Task Handle_RightCurrentPassword_ChangesHashAndSecurityStamp()
    {
        var stamp = _user.SecurityStamp;

        var result = await Change(Current);

        Assert.True(result.IsSuccess);
        Assert.Equal("new-hash", _user.PasswordHash);
        Assert.NotEqual(stamp, _user.SecurityStamp);
        Assert.Equal("secret-1", _user.SecurityStamp);
        _ports.Secrets.Received(1).NewSecret(16);
        _ports.Hasher.Received(1).Hash(New);
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.PasswordChanged).UserId);
        await _ports.ClaimedAsync(_user);
        await _ports.ReleasedAsync(_user);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_RightCurrentPassword_RevokesOtherSessionsAndKeepsCurrent()
    {
        var session = Session("mine");
        _ports.Families.FindByIdAsync(session.Id, Arg.Any<CancellationToken>()).Returns(session);
        var current = session.Id;

        var result = await Change(Current, current);

        Assert.True(result.IsSuccess);
        // One conditional update for all the others, so a racing refresh cannot win over it.
        await _ports.Families.Received(1).RevokeAllForUserAsync(
            _user.Id, current, RevocationReasons.PasswordChanged, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_RightCurrentPassword_HashesBothPasswordsBeforeItsWritesStart()
    {
        // On SQLite the writes' transaction holds the database's only write lock: a hash after
        // StartWritesAsync would stall every other user's refresh behind this one.
        var result = await Change(Current);

        Assert.True(result.IsSuccess);
        Received.InOrder(() =>
        {
            _ports.Hasher.Verify("stored-hash", Current);
            _ports.Hasher.Hash(New);
            _ports.UnitOfWork.StartWritesAsync(Arg.Any<CancellationToken>());
            _ports.Families.RevokeAllForUserAsync(_user.Id, Arg.Any<Guid?>(), RevocationReasons.PasswordChanged, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        });
        Assert.Equal("new-hash", _user.PasswordHash);
    }

    [Fact]
    public async Task Handle_FromARevokedSession_RefusesWithInvalidTokenAndChangesNothing()
    {
        var session = Ports.RevokedInStore(Session("mine"), RevocationReasons.Logout, _ports.Clock.GetUtcNow());
        _ports.Families.FindByIdAsync(session.Id, Arg.Any<CancellationToken>()).Returns(session);

        var result = await Change(Current, session.Id);

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.Equal("stored-hash", _user.PasswordHash);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.PasswordChanged);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }

    [Fact]
    public async Task Handle_RightCurrentPasswordWithoutSession_RevokesEverySession()
    {
        var result = await Change(Current, currentSessionId: null);

        Assert.True(result.IsSuccess);
        await _ports.Families.Received(1).RevokeAllForUserAsync(
            _user.Id, null, RevocationReasons.PasswordChanged, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_TwoFactorUserWithoutStepUpCode_RefusesMfaRequiredAndChangesNothing()
    {
        var user = _ports.TwoFactorUser();
        _ports.Hasher.Verify("stored-hash", Current).Returns(PasswordCheck.Success);

        var result = await Change(Current, userId: user.Id);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        Assert.Equal("stored-hash", user.PasswordHash);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }

    [Fact]
    public async Task Handle_TwoFactorUserWithValidStepUpCode_ChangesThePassword()
    {
        var user = _ports.TwoFactorUser();
        _ports.Hasher.Verify("stored-hash", Current).Returns(PasswordCheck.Success);
        _ports.Hasher.Hash(New).Returns("new-hash");
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Change(Current, userId: user.Id, stepUpCode: "123456");

        Assert.True(result.IsSuccess);
        Assert.Equal("new-hash", user.PasswordHash);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
        // The password and the code are two checks: each claims its own attempt and ends it.
        await _ports.ClaimedAsync(user, times: 2);
        await _ports.ReleasedAsync(user, times: 2);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_TwoFactorUserWithWrongStepUpCode_CountsOneFailureForTheCodeAndChangesNothing()
    {
        var user = _ports.TwoFactorUser();
        _ports.Hasher.Verify("stored-hash", Current).Returns(PasswordCheck.Success);
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Change(Current, userId: user.Id, stepUpCode: "999999");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal("stored-hash", user.PasswordHash);
        await _ports.ReleasedAsync(user, times: 1);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.Equal("step_up", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type is AuditEventTypes.PasswordChanged or AuditEventTypes.LoginFailed);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }
}
