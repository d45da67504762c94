using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;
using NSubstitute;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Auth.Common;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class LoginHandlerTests
{
    private const string RightPassword = "correct horse battery";
    private const string WrongPassword = "wrong password here";

    private readonly Ports _ports = new();

    private LoginHandler Handler() =>
        new(_ports.Users, _ports.Hasher, _ports.Sessions, _ports.Audit, _ports.MfaTokens, Options.Create(_ports.Lockout), _ports.Clock);

    private Task<Result<LoginResponse>> Login(string email, string password) =>
        Handler().Handle(new LoginCommand(email, password), CancellationToken.None).AsTask();

    private User UserWithPassword()
    {
        var user = _ports.NewUser();
        _ports.Hasher.Verify("stored-hash", RightPassword).Returns(PasswordCheck.Success);
        _ports.Hasher.Verify("stored-hash", WrongPassword).Returns(PasswordCheck.Failed);
        return user;
    }

    [Fact]
    public async Task Handle_UnknownEmail_VerifiesAgainstDummyAndRefusesWithInvalidCredentials()
    {
        var result = await Login("nobody@example.com", "some password 123");

        _ports.Hasher.Received(1).VerifyAgainstDummy("some password 123");
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Null(audit.UserId);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_UnknownEmailAndWrongPassword_AnswerTheSameError()
    {
        UserWithPassword();

        var unknown = await Login("nobody@example.com", WrongPassword);
        var wrong = await Login("alice@example.com", WrongPassword);

        Assert.Equal(unknown.Error, wrong.Error);
        Assert.Equal(unknown.KeepsChanges, wrong.KeepsChanges);
    }

    [Fact]
    public async Task Handle_WrongPassword_RecordsFailureAndRefusesWithInvalidCredentials()
    {
        var user = UserWithPassword();

        var result = await Login("alice@example.com", WrongPassword);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Equal(1, user.FailedLoginCount);
        Assert.False(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        Assert.Equal(user.Id, _ports.SingleAudit(AuditEventTypes.LoginFailed).UserId);
        _ports.Hasher.DidNotReceive().VerifyAgainstDummy(Arg.Any<string>());
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
    }

    [Fact]
    public async Task Handle_TenthFailureInWindow_LocksAccountAndAuditsLock()
    {
        var user = UserWithPassword();
        Assert.Equal(10, _ports.Lockout.MaxFailedAttempts);

        var codes = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var attempt = await Login("alice@example.com", WrongPassword);
            codes.Add(attempt.Error!.Code);
            Assert.True(attempt.KeepsChanges);
            _ports.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.All(codes.Take(9), c => Assert.Equal(ErrorCodes.InvalidCredentials, c));
        Assert.Equal(ErrorCodes.AccountLocked, codes[9]);
        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        var locked = _ports.SingleAudit(AuditEventTypes.AccountLocked);
        Assert.Equal(user.Id, locked.UserId);
        Assert.Equal(10, _ports.AuditCalls().Count(c => c.Type == AuditEventTypes.LoginFailed));
    }

    [Fact]
    public async Task Handle_LockoutOptions_AreHonoured()
    {
        _ports.Lockout.MaxFailedAttempts = 3;
        UserWithPassword();

        var first = await Login("alice@example.com", WrongPassword);
        var second = await Login("alice@example.com", WrongPassword);
        var third = await Login("alice@example.com", WrongPassword);

        Assert.Equal(ErrorCodes.InvalidCredentials, first.Error!.Code);
        Assert.Equal(ErrorCodes.InvalidCredentials, second.Error!.Code);
        Assert.Equal(ErrorCodes.AccountLocked, third.Error!.Code);
    }

    [Fact]
    public async Task Handle_LockedAccountWithRightPassword_RefusesAccountLockedWithoutVerifying()
    {
        var user = UserWithPassword();
        LockOut(user);

        var result = await Login("alice@example.com", RightPassword);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginSucceeded);
    }

    [Fact]
    public async Task Handle_AfterLockoutExpires_RightPasswordSucceeds()
    {
        var user = UserWithPassword();
        LockOut(user);
        _ports.Clock.Advance(_ports.Lockout.Duration);

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        Assert.Null(user.LockedUntil);
    }

    [Fact]
    public async Task Handle_DisabledUserWithRightPassword_RefusesWithoutCountingFailure()
    {
        var user = UserWithPassword();
        user.Disable();

        var result = await Login("alice@example.com", RightPassword);

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.Equal(0, user.FailedLoginCount);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        Assert.Contains("disabled", _ports.SingleAudit(AuditEventTypes.LoginFailed).Details);
    }

    [Fact]
    public async Task Handle_SuccessRehashNeeded_ReplacesStoredHashWithNewHash()
    {
        var user = _ports.NewUser(passwordHash: "weak-hash");
        _ports.Hasher.Verify("weak-hash", RightPassword).Returns(PasswordCheck.SuccessRehashNeeded);
        _ports.Hasher.Hash(RightPassword).Returns("strong-hash");
        var stamp = user.SecurityStamp;

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        Assert.Equal("strong-hash", user.PasswordHash);
        Assert.Equal(stamp, user.SecurityStamp);
        _ports.Hasher.Received(1).Hash(RightPassword);
    }

    [Fact]
    public async Task Handle_SuccessWithCurrentHash_DoesNotRehash()
    {
        var user = UserWithPassword();

        await Login("alice@example.com", RightPassword);

        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
        Assert.Equal("stored-hash", user.PasswordHash);
    }

    [Fact]
    public async Task Handle_RightPassword_ReturnsSessionAndAuditsSuccess()
    {
        var user = UserWithPassword();

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        var session = result.Value.Session!;
        var started = _ports.SingleAddedFamily();
        Assert.Equal(user.Id, started.UserId);
        Assert.Equal($"jwt-{started.Id}", session.Token);
        Assert.Equal("secret-1", session.RefreshToken);
        Assert.Equal(Ports.HashOf("secret-1"), Assert.Single(started.Tokens).TokenHash);
        Assert.Equal("Bearer", session.TokenType);
        Assert.Equal(3600, session.ExpiresIn);
        Assert.Equal(user.Id, session.User.Id);
        Assert.Equal("alice@example.com", session.User.Email);
        Assert.Equal("user", session.User.Role);
        Assert.Equal("pwd", started.AuthenticationMethods);
        Assert.Equal("203.0.113.9", started.IpAddress);
        Assert.Equal("unit-test-agent", started.UserAgent);
        Assert.Equal(user.Id, _ports.SingleAudit(AuditEventTypes.LoginSucceeded).UserId);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginFailed);
    }

    [Fact]
    public async Task Handle_RightPasswordForUser_SessionScopesExcludeAdmin()
    {
        UserWithPassword();

        await Login("alice@example.com", RightPassword);

        var started = _ports.SingleAddedFamily();
        var request = _ports.SingleAccessTokenRequest();
        var scopes = started.Scopes.Split(' ');
        Assert.DoesNotContain(Scopes.Admin, scopes);
        Assert.Contains("models.read", scopes);
        Assert.Equal(scopes, request.Scopes);
        Assert.Equal("user", request.Role);
        Assert.Equal(started.Id, request.SessionId);
        Assert.Equal(["pwd"], request.AuthenticationMethods);
    }

    [Fact]
    public async Task Handle_RightPasswordAfterFailures_ResetsFailureCount()
    {
        var user = UserWithPassword();
        await Login("alice@example.com", WrongPassword);
        await Login("alice@example.com", WrongPassword);
        Assert.Equal(2, user.FailedLoginCount);

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        Assert.Equal(0, user.FailedLoginCount);
    }

    [Fact]
    public async Task Handle_RightPassword_NeverAuditsThePassword()
    {
        UserWithPassword();

        await Login("alice@example.com", RightPassword);
        await Login("alice@example.com", WrongPassword);

        Assert.All(_ports.AuditCalls(), c =>
        {
            Assert.DoesNotContain(RightPassword, c.Details ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongPassword, c.Details ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-", c.Details ?? string.Empty, StringComparison.Ordinal);
        });
    }

    private void LockOut(User user)
    {
        var policy = new LockoutPolicy(_ports.Lockout.MaxFailedAttempts, _ports.Lockout.Window, _ports.Lockout.Duration);
        for (var i = 0; i < policy.MaxFailedAttempts; i++)
        {
            user.RecordFailedLogin(_ports.Clock.GetUtcNow(), policy);
        }

        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
    }
}
