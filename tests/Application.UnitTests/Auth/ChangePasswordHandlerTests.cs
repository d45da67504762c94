using AuthPlatform.Application.Auth.ChangePassword;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;
using NSubstitute;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;

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

    private Task<Result<Done>> Change(string currentPassword, Guid? currentSessionId = null, Guid? userId = null) =>
        new ChangePasswordHandler(_ports.Users, _ports.Families, _ports.Hasher, _ports.Audit, _ports.StepUp, Options.Create(_ports.Lockout), _ports.Clock)
            .Handle(new ChangePasswordCommand(Ports.PasswordCaller(userId ?? _user.Id, currentSessionId), currentPassword, New), CancellationToken.None).AsTask();

    private RefreshTokenFamily Session(string token) =>
        RefreshTokenFamily.Start(
            Guid.NewGuid(), _user.Id, Ports.HashOf(token), ["profile"], ["pwd"], null, null, _ports.Sessions.Lifetimes, _ports.Clock.GetUtcNow());

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
        await _ports.Families.DidNotReceiveWithAnyArgs().ListActiveForUserAsync(default, default, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.PasswordChanged);
    }

    [Fact]
    public async Task Handle_WrongCurrentPassword_CountsAsFailedLogin()
    {
        var result = await Change("not the password");

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.Equal(1, _user.FailedLoginCount);
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.LoginFailed).UserId);
    }

    [Fact]
    public async Task Handle_LockedAccount_RefusesWithoutVerifying()
    {
        var policy = new LockoutPolicy(_ports.Lockout.MaxFailedAttempts, _ports.Lockout.Window, _ports.Lockout.Duration);
        for (var i = 0; i < policy.MaxFailedAttempts; i++)
        {
            _user.RecordFailedLogin(_ports.Clock.GetUtcNow(), policy);
        }

        var result = await Change(Current);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        Assert.Equal("stored-hash", _user.PasswordHash);
    }

    [Fact]
    public async Task Handle_UnknownUser_ReturnsNotFound()
    {
        var result = await Change(Current, userId: Guid.NewGuid());

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
    }

    [Fact]
    public async Task Handle_RightCurrentPassword_ChangesHashAndSecurityStamp()
    {
        _ports.Families.ListActiveForUserAsync(_user.Id, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).Returns([]);
        var stamp = _user.SecurityStamp;

        var result = await Change(Current);

        Assert.True(result.IsSuccess);
        Assert.Equal("new-hash", _user.PasswordHash);
        Assert.NotEqual(stamp, _user.SecurityStamp);
        _ports.Hasher.Received(1).Hash(New);
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.PasswordChanged).UserId);
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
    public async Task Handle_FromARevokedSession_RefusesWithInvalidTokenAndChangesNothing()
    {
        var session = Session("mine");
        session.Revoke(RevocationReasons.Logout, _ports.Clock.GetUtcNow());
        _ports.Families.FindByIdAsync(session.Id, Arg.Any<CancellationToken>()).Returns(session);

        var result = await Change(Current, session.Id);

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.Equal("stored-hash", _user.PasswordHash);
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
}
