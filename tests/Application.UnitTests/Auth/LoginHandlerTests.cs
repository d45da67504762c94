using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class LoginHandlerTests
{
    private const string RightPassword = "correct horse battery";
    private const string WrongPassword = "wrong password here";

    private readonly Ports _ports = new();

    private LoginHandler Handler() =>
        new(_ports.Users, _ports.Hasher, _ports.FailedAttempts, _ports.Sessions, _ports.MfaTokens, _ports.DomainEvents, _ports.Clock);

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
        Assert.Equal(FailureReasons.UnknownAccount, audit.Details!["reason"]);
        _ports.DomainEvents.Received(1).Raise(new LoginFailed(null, FailureReasons.UnknownAccount));
        await _ports.NoFailureCountedAsync();
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
    public async Task Handle_WrongPassword_HasTheStoreCountItOnceAndRefusesWithInvalidCredentials()
    {
        var user = UserWithPassword();

        var result = await Login("alice@example.com", WrongPassword);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(FailureReasons.WrongPassword, audit.Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.AccountLocked);
        _ports.Hasher.DidNotReceive().VerifyAgainstDummy(Arg.Any<string>());
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
    }

    [Fact]
    public async Task Handle_WrongPassword_PassesTheConfiguredLockoutPolicyAndTheClocksTimeToTheStore()
    {
        _ports.Lockout.MaxFailedAttempts = 3;
        _ports.Lockout.Window = TimeSpan.FromMinutes(5);
        _ports.Lockout.Duration = TimeSpan.FromMinutes(1);
        var user = UserWithPassword();
        _ports.Clock.Advance(TimeSpan.FromSeconds(42));

        await Login("alice@example.com", WrongPassword);

        await _ports.Users.Received(1).RecordFailedLoginAsync(
            user, new LockoutPolicy(3, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)), Ports.Start.AddSeconds(42), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_FailureThatTheStoreSaysLockedTheAccount_AnswersAccountLockedAndRaisesAccountLocked()
    {
        var user = UserWithPassword();
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.StoreLocksTheAccount(user, until);

        var result = await Login("alice@example.com", WrongPassword);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.Equal(FailureReasons.WrongPassword, _ports.SingleAudit(AuditEventTypes.LoginFailed).Details!["reason"]);
        var locked = _ports.SingleAudit(AuditEventTypes.AccountLocked);
        Assert.Equal(user.Id, locked.UserId);
        Assert.Equal(until, locked.Details!["until"]);
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_ManyFailuresTheStoreDoesNotLockOn_AreEachCountedAndNeverAnsweredLocked()
    {
        // The handler never decides a lock itself: the store's atomic update is the rule.
        var user = UserWithPassword();

        var codes = new List<string>();
        for (var i = 0; i < _ports.Lockout.MaxFailedAttempts + 2; i++)
        {
            var attempt = await Login("alice@example.com", WrongPassword);
            codes.Add(attempt.Error!.Code);
            Assert.True(attempt.KeepsChanges);
        }

        Assert.All(codes, c => Assert.Equal(ErrorCodes.InvalidCredentials, c));
        await _ports.FailureCountedAsync(user, times: _ports.Lockout.MaxFailedAttempts + 2);
        Assert.Equal(_ports.Lockout.MaxFailedAttempts + 2, _ports.AuditCalls().Count(c => c.Type == AuditEventTypes.LoginFailed));
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.AccountLocked);
    }

    [Fact]
    public async Task Handle_LockedAccountWithRightPassword_RefusesAccountLockedWithoutVerifyingOrCounting()
    {
        var user = UserWithPassword();
        Ports.LockedInStore(user, _ports.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));

        var result = await Login("alice@example.com", RightPassword);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.NoFailureCountedAsync();
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        Assert.True(user.IsLockedOut(_ports.Clock.GetUtcNow()));
        Assert.Equal(FailureReasons.Locked, _ports.SingleAudit(AuditEventTypes.LoginFailed).Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginSucceeded);
    }

    [Fact]
    public async Task Handle_AfterLockoutExpires_RightPasswordSucceeds()
    {
        var user = UserWithPassword();
        Ports.LockedInStore(user, _ports.Clock.GetUtcNow() + _ports.Lockout.Duration);
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
        Assert.True(result.KeepsChanges);
        await _ports.NoFailureCountedAsync();
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(FailureReasons.Disabled, audit.Details!["reason"]);
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
        Assert.Null(result.Value.Challenge);
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
        Assert.Equal("Alice", session.User.Name);
        Assert.Equal("user", session.User.Role);
        Assert.Equal("pwd", started.AuthenticationMethods);
        Assert.Equal("203.0.113.9", started.IpAddress);
        Assert.Equal("unit-test-agent", started.UserAgent);
        var audit = _ports.SingleAudit(AuditEventTypes.LoginSucceeded);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(["pwd"], Assert.IsAssignableFrom<IEnumerable<string>>(audit.Details!["amr"]));
        Assert.False(Assert.IsType<bool>(audit.Details["recovery_code"]));
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginFailed);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Handle_RightPasswordForUser_SessionScopesExcludeAdmin()
    {
        UserWithPassword();

        await Login("alice@example.com", RightPassword);

        var started = _ports.SingleAddedFamily();
        var request = _ports.SingleAccessTokenRequest();
        Assert.DoesNotContain(Scopes.Admin, started.Scopes);
        Assert.Contains("models.read", started.Scopes);
        Assert.Equal(started.Scopes, request.Scopes);
        Assert.Equal("user", request.Role);
        Assert.Equal(started.Id, request.SessionId);
        Assert.Equal(["pwd"], request.AuthenticationMethods);
    }

    [Fact]
    public async Task Handle_RightPasswordAfterCountedFailures_ResetsTheStoredCounter()
    {
        var user = UserWithPassword();
        await Login("alice@example.com", WrongPassword);
        await Login("alice@example.com", WrongPassword);
        StoredColumns.Set(user, nameof(User.FailedLoginCount), 2); // what the store's two updates left
        StoredColumns.Set(user, nameof(User.FailedLoginWindowStartedAt), _ports.Clock.GetUtcNow());

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        Assert.Equal(0, user.FailedLoginCount);
        Assert.Null(user.FailedLoginWindowStartedAt);
    }

    [Fact]
    public async Task Handle_RightAndWrongPassword_NeverAuditTheSecrets()
    {
        UserWithPassword();

        await Login("alice@example.com", RightPassword);
        await Login("alice@example.com", WrongPassword);
        await Login("nobody@example.com", WrongPassword);

        Assert.NotEmpty(_ports.AuditDetailValues());
        Assert.All(_ports.AuditDetailValues(), value =>
        {
            Assert.DoesNotContain(RightPassword, value, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongPassword, value, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-", value, StringComparison.Ordinal);
            Assert.DoesNotContain("jwt-", value, StringComparison.Ordinal);
        });
    }
}
