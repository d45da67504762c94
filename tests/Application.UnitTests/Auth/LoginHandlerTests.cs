using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Application.Users;
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
        new(new PasswordSignIn(_ports.Users, _ports.Hasher, _ports.Attempts, _ports.DomainEvents), _ports.Sessions, _ports.MfaTokens);

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
    public async Task Handle_UnknownEmail_ClaimsVerifiesAgainstDummyCountsTheFailureAndRefusesWithInvalidCredentials()
    {
        var result = await Login("nobody@example.com", "some password 123");

        await _ports.ClaimedAsync("nobody@example.com");
        _ports.Hasher.Received(1).VerifyAgainstDummy("some password 123");
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync("nobody@example.com", times: 1);
        await _ports.NothingReleasedAsync();
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Null(audit.UserId);
        Assert.Equal(FailureReasons.UnknownAccount, audit.Details!["reason"]);
        _ports.DomainEvents.Received(1).Raise(new LoginFailed(null, FailureReasons.UnknownAccount));
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
    public async Task Handle_UnknownEmailAndWrongPassword_MakeTheSameThrottleCallsOnTheirOwnAccounts()
    {
        // An unknown address is throttled exactly like a known one: same calls, same order, same budgets.
        UserWithPassword();

        await Login("nobody@example.com", WrongPassword);
        var unknown = ThrottleCallsSoFar();
        _ports.Throttle.ClearReceivedCalls();
        await Login("alice@example.com", WrongPassword);
        var wrong = ThrottleCallsSoFar();

        Assert.NotEmpty(unknown);
        Assert.Equal(
            unknown.Select(c => c.Replace(Ports.AccountKey("nobody@example.com"), "<account>", StringComparison.Ordinal)),
            wrong.Select(c => c.Replace(Ports.AccountKey("alice@example.com"), "<account>", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Handle_UnknownEmailWhoseFailureLocks_AnswersAccountLockedLikeAKnownOne()
    {
        _ports.FailureLocks(_ports.Clock.GetUtcNow() + _ports.Lockout.Duration);

        var result = await Login("nobody@example.com", WrongPassword);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.DomainEvents.Received(1).Raise(new LoginFailed(null, FailureReasons.UnknownAccount));
    }

    [Fact]
    public async Task Handle_UnknownEmailWithClaimRefused_AnswersAccountLockedWithoutVerifying()
    {
        _ports.AddressBudgetRefuses();

        var result = await Login("nobody@example.com", WrongPassword);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.Hasher.DidNotReceiveWithAnyArgs().VerifyAgainstDummy(default!);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.NoFailureCountedAsync();
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Null(audit.UserId);
        Assert.Equal(FailureReasons.Locked, audit.Details!["reason"]);
    }

    [Fact]
    public async Task Handle_WrongPassword_ClaimsThenCountsOneFailureAndRefusesWithInvalidCredentials()
    {
        var user = UserWithPassword();

        var result = await Login("alice@example.com", WrongPassword);

        await _ports.ClaimedAsync(user);
        Received.InOrder(() =>
        {
            _ = _ports.Throttle.TryClaimAsync(Ports.AccountKey("alice@example.com"), Ports.AddressScope, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
            _ports.Hasher.Verify("stored-hash", WrongPassword);
            _ = _ports.Throttle.FailAsync(Ports.AccountKey("alice@example.com"), Ports.AddressScope, true, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        });
        await _ports.NothingReleasedAsync();
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
    public async Task Handle_WrongPassword_PassesTheConfiguredLockoutPolicyAndTheClocksTimeToTheThrottle()
    {
        _ports.Lockout.MaxFailedAttempts = 3;
        _ports.Lockout.Window = TimeSpan.FromMinutes(5);
        _ports.Lockout.Duration = TimeSpan.FromMinutes(1);
        _ports.Lockout.AccountMaxFailedAttempts = 30;
        UserWithPassword();
        _ports.Clock.Advance(TimeSpan.FromSeconds(42));

        await Login("alice@example.com", WrongPassword);

        var policy = new LockoutPolicy(3, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), 30);
        var account = Ports.AccountKey("alice@example.com");
        var at = Ports.Start.AddSeconds(42);
        await _ports.Throttle.Received(1).TryClaimAsync(account, Ports.AddressScope, 3, policy, at, Arg.Any<CancellationToken>());
        await _ports.Throttle.Received(1).TryClaimAsync(account, IAttemptThrottle.AccountWide, 30, policy, at, Arg.Any<CancellationToken>());
        await _ports.Throttle.Received(1).FailAsync(account, Ports.AddressScope, true, 3, policy, at, Arg.Any<CancellationToken>());
        await _ports.Throttle.Received(1).FailAsync(account, IAttemptThrottle.AccountWide, true, 30, policy, at, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_FailureThatTheThrottleSaysLocked_AnswersAccountLockedAndRaisesAccountLocked()
    {
        var user = UserWithPassword();
        var until = _ports.Clock.GetUtcNow() + _ports.Lockout.Duration;
        _ports.FailureLocks(until);

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
    public async Task Handle_ManyFailuresTheThrottleDoesNotLockOn_AreEachCountedAndNeverAnsweredLocked()
    {
        // The handler never decides a lock itself: the throttle's atomic update is the rule.
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
    public async Task Handle_ClaimRefusedWithRightPassword_RefusesAccountLockedWithoutVerifyingOrCounting()
    {
        var user = UserWithPassword();
        _ports.AddressBudgetRefuses();

        var result = await Login("alice@example.com", RightPassword);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        _ports.Hasher.DidNotReceiveWithAnyArgs().VerifyAgainstDummy(default!);
        await _ports.NoFailureCountedAsync();
        await _ports.NothingReleasedAsync();
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        var audit = _ports.SingleAudit(AuditEventTypes.LoginFailed);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(FailureReasons.Locked, audit.Details!["reason"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.LoginSucceeded);
    }

    [Fact]
    public async Task Handle_AccountWideBudgetSpentFromAnUnknownAddress_RefusesAccountLockedWithoutVerifying()
    {
        UserWithPassword();
        _ports.AccountWideBudgetRefuses();

        var result = await Login("alice@example.com", RightPassword);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.NoFailureCountedAsync();
        _ports.Families.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_AccountWideBudgetSpentFromAKnownAddress_RightPasswordSucceedsReleasingOnlyTheAddressClaim()
    {
        // Strangers' guesses from elsewhere do not keep the owner out of an address they used before.
        var user = UserWithPassword();
        _ports.AccountWideBudgetRefuses();
        _ports.KnownAddress(user);

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        await _ports.Throttle.Received(1).ReleaseAsync(Ports.AccountKey("alice@example.com"), Ports.AddressScope, Arg.Any<CancellationToken>());
        Assert.Equal(1, _ports.ThrottleCalls(nameof(IAttemptThrottle.ReleaseAsync)));
    }

    [Fact]
    public async Task Handle_AccountWideBudgetSpentFromAKnownAddress_WrongPasswordStillCountsAccountWide()
    {
        var user = UserWithPassword();
        _ports.AccountWideBudgetRefuses();
        _ports.KnownAddress(user);

        var result = await Login("alice@example.com", WrongPassword);

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        await _ports.Throttle.Received(1).FailAsync(
            Ports.AccountKey("alice@example.com"), IAttemptThrottle.AccountWide, false, _ports.Lockout.AccountMaxFailedAttempts, _ports.ConfiguredPolicy,
            _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_ClaimGrantedAgainOnceTheThrottleSaysTheLockEnded_RightPasswordSucceeds()
    {
        // Whether a lock has ended is the throttle's rule: the handler asks again at the clock's time.
        UserWithPassword();
        _ports.AddressBudgetRefuses();
        Assert.Equal(ErrorCodes.AccountLocked, (await Login("alice@example.com", RightPassword)).Error!.Code);
        _ports.Clock.Advance(_ports.Lockout.Duration);
        _ports.Throttle.TryClaimAsync(default!, default!, default, default!, default, default).ReturnsForAnyArgs(true);

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        await _ports.Throttle.Received(1).TryClaimAsync(
            Ports.AccountKey("alice@example.com"), Ports.AddressScope, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Ports.Start + _ports.Lockout.Duration,
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_DisabledUserWithRightPassword_RefusesWithoutCountingFailure()
    {
        var user = UserWithPassword();
        user.Disable(Guid.NewGuid(), "stamp-disabled", _ports.Clock.GetUtcNow());

        var result = await Login("alice@example.com", RightPassword);

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.NoFailureCountedAsync();
        await _ports.ReleasedAsync(user);
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
        await _ports.ClaimedAsync(user);
        await _ports.ReleasedAsync(user);
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
    public async Task Handle_RightPasswordAfterCountedFailures_ReleasesItsOwnClaimAndErasesNoFailure()
    {
        // A success never erases the failures that raced it: they expire with their window (ADR 0012).
        var user = UserWithPassword();
        await Login("alice@example.com", WrongPassword);
        await Login("alice@example.com", WrongPassword);
        await _ports.FailureCountedAsync(user, times: 2);

        var result = await Login("alice@example.com", RightPassword);

        Assert.True(result.IsSuccess);
        await _ports.ReleasedAsync(user, times: 1);
        await _ports.FailureCountedAsync(user, times: 2);
        await _ports.Throttle.DidNotReceiveWithAnyArgs().ClearAsync(default!, default);
    }

    private List<string> ThrottleCallsSoFar() =>
        _ports.Throttle.ReceivedCalls()
            .Select(c => $"{c.GetMethodInfo().Name}({string.Join(", ", c.GetArguments().Take(c.GetArguments().Length - 1))})")
            .ToList();

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
