using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Users;

public sealed class SignInAttemptsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Error Wrong = new(ErrorCodes.InvalidCredentials, "wrong");

    private const string Ip = "203.0.113.9";
    private const string Account = "sha:ALICE@EXAMPLE.COM";
    private const string AccountWide = IAttemptThrottle.AccountWide;

    private readonly IAttemptThrottle _throttle = Substitute.For<IAttemptThrottle>();
    private readonly IRefreshTokenFamilyRepository _sessions = Substitute.For<IRefreshTokenFamilyRepository>();
    private readonly IClientContext _client = Substitute.For<IClientContext>();
    private readonly ISecretGenerator _secrets = Substitute.For<ISecretGenerator>();
    private readonly IDomainEvents _domainEvents = Substitute.For<IDomainEvents>();

    private readonly LockoutOptions _lockout = new()
    {
        MaxFailedAttempts = 4, Window = TimeSpan.FromMinutes(7), Duration = TimeSpan.FromMinutes(3), AccountMaxFailedAttempts = 40,
    };

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly User _user;

    public SignInAttemptsTests()
    {
        _user = User.Register(Guid.NewGuid(), EmailAddress.Create("Alice@Example.com"), "Alice", "hash", "stamp", Now);
        _user.DequeueDomainEvents();
        _secrets.Hash(Arg.Any<string>()).Returns(call => "sha:" + call.Arg<string>());
        _client.IpAddress.Returns(Ip);
        _throttle.TryClaimAsync(default!, default!, default, default!, default, default).ReturnsForAnyArgs(true);
        _throttle.FailAsync(default!, default!, default, default, default!, default, default).ReturnsForAnyArgs((DateTimeOffset?)null);
    }

    private static LockoutPolicy Policy => new(4, TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(3), 40);

    private SignInAttempts Attempts() => new(_throttle, _sessions, _client, _secrets, _domainEvents, Options.Create(_lockout), _clock);

    private void Refuse(string scope) =>
        _throttle.TryClaimAsync(Arg.Any<string>(), scope, Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(false);

    private void Locks(string scope, DateTimeOffset until) =>
        _throttle.FailAsync(Arg.Any<string>(), scope, Arg.Any<bool>(), Arg.Any<int>(), Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(until);

    private int Calls(string method) => _throttle.ReceivedCalls().Count(c => c.GetMethodInfo().Name == method);

    // ---- ClaimAsync ----

    [Fact]
    public async Task ClaimAsync_BothBudgetsHaveRoom_ClaimsTheAddressThenAccountWideWithTheirLimitsAndThePolicyAtTheClocksTime()
    {
        _clock.Advance(TimeSpan.FromSeconds(5));

        var claim = await Attempts().ClaimAsync("alice@example.com", _user.Id, CancellationToken.None);

        Assert.Equal(new AttemptClaim(Account, Ip, AccountWide: true), claim.Value);
        Received.InOrder(() =>
        {
            _ = _throttle.TryClaimAsync(Account, Ip, 4, Policy, Now.AddSeconds(5), Arg.Any<CancellationToken>());
            _ = _throttle.TryClaimAsync(Account, AccountWide, 40, Policy, Now.AddSeconds(5), Arg.Any<CancellationToken>());
        });
        Assert.Equal(2, Calls(nameof(IAttemptThrottle.TryClaimAsync)));
        await _throttle.DidNotReceiveWithAnyArgs().ReleaseAsync(default!, default!, default);
        await _sessions.DidNotReceiveWithAnyArgs().HasSignedInFromAsync(default, default, default);
    }

    [Fact]
    public async Task ClaimAsync_OptionsChangedAfterConstruction_UsesTheCurrentOptions()
    {
        var attempts = Attempts();
        _lockout.MaxFailedAttempts = 9;
        _lockout.AccountMaxFailedAttempts = 90;

        await attempts.ClaimAsync("alice@example.com", _user.Id, CancellationToken.None);

        await _throttle.Received(1).TryClaimAsync(
            Account, Ip, 9, Arg.Is<LockoutPolicy>(p => p.MaxFailedAttempts == 9), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        await _throttle.Received(1).TryClaimAsync(
            Account, AccountWide, 90, Arg.Is<LockoutPolicy>(p => p.AccountMaxFailedAttempts == 90), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ClaimAsync_AddressBudgetRefused_AnswersAccountLockedWithoutTouchingTheAccountScope()
    {
        Refuse(Ip);

        var claim = await Attempts().ClaimAsync("alice@example.com", _user.Id, CancellationToken.None);

        Assert.Same(Error.AccountLocked, claim.Error);
        Assert.Equal(1, Calls(nameof(IAttemptThrottle.TryClaimAsync)));
        Assert.DoesNotContain(_throttle.ReceivedCalls(), c => c.GetArguments().Contains(AccountWide));
        await _throttle.DidNotReceiveWithAnyArgs().ReleaseAsync(default!, default!, default);
        await _throttle.DidNotReceiveWithAnyArgs().FailAsync(default!, default!, default, default, default!, default, default);
        await _sessions.DidNotReceiveWithAnyArgs().HasSignedInFromAsync(default, default, default);
    }

    [Fact]
    public async Task ClaimAsync_AccountWideRefusedFromAnUnknownAddress_ReleasesTheAddressClaimAndAnswersAccountLocked()
    {
        Refuse(AccountWide);

        var claim = await Attempts().ClaimAsync("alice@example.com", _user.Id, CancellationToken.None);

        Assert.Same(Error.AccountLocked, claim.Error);
        await _sessions.Received(1).HasSignedInFromAsync(_user.Id, Ip, Arg.Any<CancellationToken>());
        await _throttle.Received(1).ReleaseAsync(Account, Ip, Arg.Any<CancellationToken>());
        Assert.Equal(1, Calls(nameof(IAttemptThrottle.ReleaseAsync)));
        await _throttle.DidNotReceiveWithAnyArgs().FailAsync(default!, default!, default, default, default!, default, default);
    }

    [Fact]
    public async Task ClaimAsync_AccountWideRefusedFromAKnownAddress_ClaimsWithoutTheAccountWideBudget()
    {
        Refuse(AccountWide);
        _sessions.HasSignedInFromAsync(_user.Id, Ip, Arg.Any<CancellationToken>()).Returns(true);

        var claim = await Attempts().ClaimAsync("alice@example.com", _user.Id, CancellationToken.None);

        Assert.Equal(new AttemptClaim(Account, Ip, AccountWide: false), claim.Value);
        await _throttle.DidNotReceiveWithAnyArgs().ReleaseAsync(default!, default!, default);
    }

    [Fact]
    public async Task ClaimAsync_AccountWideRefusedForAnUnknownAccount_AsksAboutNoUserAndAnswersAccountLocked()
    {
        // The same question as for a known account, which no session can answer yes to.
        Refuse(AccountWide);

        var claim = await Attempts().ClaimAsync("nobody@example.com", null, CancellationToken.None);

        Assert.Same(Error.AccountLocked, claim.Error);
        await _sessions.Received(1).HasSignedInFromAsync(Guid.Empty, Ip, Arg.Any<CancellationToken>());
        await _throttle.Received(1).ReleaseAsync("sha:NOBODY@EXAMPLE.COM", Ip, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ClaimAsync_UnknownAccount_ClaimsOnTheHashOfItsEmailLikeAKnownOne()
    {
        var claim = await Attempts().ClaimAsync("nobody@example.com", null, CancellationToken.None);

        Assert.Equal(new AttemptClaim("sha:NOBODY@EXAMPLE.COM", Ip, AccountWide: true), claim.Value);
        await _throttle.Received(1).TryClaimAsync("sha:NOBODY@EXAMPLE.COM", Ip, 4, Policy, Now, Arg.Any<CancellationToken>());
        await _throttle.Received(1).TryClaimAsync("sha:NOBODY@EXAMPLE.COM", AccountWide, 40, Policy, Now, Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("ALICE@EXAMPLE.COM")]
    [InlineData("  Alice@Example.Com ")]
    public async Task ClaimAsync_EmailInAnyCaseOrWithSpaces_KeysTheHashOfTheNormalisedEmail(string email)
    {
        var claim = await Attempts().ClaimAsync(email, null, CancellationToken.None);

        Assert.Equal(Account, claim.Value.Account);
        _secrets.Received().Hash("ALICE@EXAMPLE.COM");
        Assert.All(_throttle.ReceivedCalls(), c => Assert.Equal(Account, c.GetArguments()[0]));
    }

    [Fact]
    public async Task ClaimAsync_User_KeysItsEmailAndAsksAboutItsId()
    {
        Refuse(AccountWide);

        var claim = await Attempts().ClaimAsync(_user, CancellationToken.None);

        Assert.Same(Error.AccountLocked, claim.Error);
        await _throttle.Received(1).TryClaimAsync(Account, Ip, 4, Policy, Now, Arg.Any<CancellationToken>());
        await _sessions.Received(1).HasSignedInFromAsync(_user.Id, Ip, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ClaimAsync_IPv6Client_ClaimsOnItsSlash64AndAsksAboutTheFullAddress()
    {
        _client.IpAddress.Returns("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
        Refuse(AccountWide);
        _sessions.HasSignedInFromAsync(_user.Id, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", Arg.Any<CancellationToken>()).Returns(true);

        var claim = await Attempts().ClaimAsync(_user, CancellationToken.None);

        Assert.Equal(new AttemptClaim(Account, "2001:db8:1:2::/64", AccountWide: false), claim.Value);
        await _throttle.Received(1).TryClaimAsync(Account, "2001:db8:1:2::/64", 4, Policy, Now, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ClaimAsync_NoClientAddress_ClaimsOnTheUnknownAddressBudget()
    {
        _client.IpAddress.Returns((string?)null);

        var claim = await Attempts().ClaimAsync(_user, CancellationToken.None);

        Assert.Equal(new AttemptClaim(Account, ClientAddresses.Unknown, AccountWide: true), claim.Value);
    }

    // ---- FailAsync ----

    [Fact]
    public async Task FailAsync_ClaimWithAccountWide_CountsBothScopesAsClaimedWithTheirLimitsAndThePolicyAtTheClocksTime()
    {
        _clock.Advance(TimeSpan.FromSeconds(5));

        await Attempts().FailAsync(new AttemptClaim(Account, Ip, true), _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None);

        await _throttle.Received(1).FailAsync(Account, Ip, true, 4, Policy, Now.AddSeconds(5), Arg.Any<CancellationToken>());
        await _throttle.Received(1).FailAsync(Account, AccountWide, true, 40, Policy, Now.AddSeconds(5), Arg.Any<CancellationToken>());
        Assert.Equal(2, Calls(nameof(IAttemptThrottle.FailAsync)));
        await _throttle.DidNotReceiveWithAnyArgs().ReleaseAsync(default!, default!, default);
    }

    [Fact]
    public async Task FailAsync_ClaimWithoutAccountWide_StillCountsTheAccountWideFailureAsUnclaimed()
    {
        await Attempts().FailAsync(new AttemptClaim(Account, Ip, false), _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None);

        await _throttle.Received(1).FailAsync(Account, Ip, true, 4, Policy, Now, Arg.Any<CancellationToken>());
        await _throttle.Received(1).FailAsync(Account, AccountWide, false, 40, Policy, Now, Arg.Any<CancellationToken>());
        Assert.Equal(2, Calls(nameof(IAttemptThrottle.FailAsync)));
    }

    [Fact]
    public async Task FailAsync_PasswordNotLocking_RefusesWithTheErrorKeepingChangesAndRaisesLoginFailed()
    {
        var result = await Attempts().FailAsync(
            new AttemptClaim(Account, Ip, true), _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(new IDomainEvent[] { new LoginFailed(_user.Id, FailureReasons.WrongPassword) }, _user.DequeueDomainEvents());
        _domainEvents.DidNotReceiveWithAnyArgs().Raise(default!);
    }

    [Fact]
    public async Task FailAsync_SecondFactorNotLocking_RaisesSecondFactorFailed()
    {
        var result = await Attempts().FailAsync(new AttemptClaim(Account, Ip, true), _user, AttemptKind.SecondFactor, "step_up", Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(new IDomainEvent[] { new SecondFactorFailed(_user.Id, "step_up") }, _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task FailAsync_NotLockingWithAnAnswerForLocked_StillAnswersTheError()
    {
        var result = await Attempts().FailAsync(
            new AttemptClaim(Account, Ip, true), _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None,
            whenLocked: Error.AccountLocked);

        Assert.Same(Wrong, result.Error);
        Assert.DoesNotContain(_user.DequeueDomainEvents(), e => e is AccountLocked);
    }

    [Fact]
    public async Task FailAsync_AddressScopeLocksWithAnAnswerForLocked_AnswersItKeepingChangesAndRaisesAccountLocked()
    {
        var until = Now.AddMinutes(3);
        Locks(Ip, until);

        var result = await Attempts().FailAsync(
            new AttemptClaim(Account, Ip, true), _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None,
            whenLocked: Error.AccountLocked);

        Assert.Same(Error.AccountLocked, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(
            new IDomainEvent[] { new LoginFailed(_user.Id, FailureReasons.WrongPassword), new AccountLocked(_user.Id, until) },
            _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task FailAsync_AccountWideScopeLocks_AnswersWhenLockedAndRaisesAccountLockedUntilItsEnd()
    {
        var until = Now.AddMinutes(3);
        Locks(AccountWide, until);

        var result = await Attempts().FailAsync(
            new AttemptClaim(Account, Ip, true), _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None,
            whenLocked: Error.AccountLocked);

        Assert.Same(Error.AccountLocked, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(
            new IDomainEvent[] { new LoginFailed(_user.Id, FailureReasons.WrongPassword), new AccountLocked(_user.Id, until) },
            _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task FailAsync_BothScopesLock_RaisesOneAccountLockedAtTheAddresssEnd()
    {
        Locks(Ip, Now.AddMinutes(3));
        Locks(AccountWide, Now.AddMinutes(4));

        await Attempts().FailAsync(new AttemptClaim(Account, Ip, true), _user, AttemptKind.SecondFactor, "login", Wrong, CancellationToken.None);

        Assert.Equal(
            new IDomainEvent[] { new SecondFactorFailed(_user.Id, "login"), new AccountLocked(_user.Id, Now.AddMinutes(3)) },
            _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task FailAsync_LockingWithoutAnAnswerForLocked_AnswersTheErrorAndRaisesAccountLocked()
    {
        var until = Now.AddMinutes(3);
        Locks(Ip, until);

        var result = await Attempts().FailAsync(new AttemptClaim(Account, Ip, true), _user, AttemptKind.SecondFactor, "login", Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(
            new IDomainEvent[] { new SecondFactorFailed(_user.Id, "login"), new AccountLocked(_user.Id, until) },
            _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task FailAsync_NoUser_CountsBothScopesAndRaisesLoginFailedWithoutAUser()
    {
        var claim = new AttemptClaim("sha:NOBODY@EXAMPLE.COM", Ip, true);

        var result = await Attempts().FailAsync(claim, null, AttemptKind.Password, FailureReasons.UnknownAccount, Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        await _throttle.Received(1).FailAsync(claim.Account, Ip, true, 4, Policy, Now, Arg.Any<CancellationToken>());
        await _throttle.Received(1).FailAsync(claim.Account, AccountWide, true, 40, Policy, Now, Arg.Any<CancellationToken>());
        _domainEvents.Received(1).Raise(new LoginFailed(null, FailureReasons.UnknownAccount));
        Assert.Single(_domainEvents.ReceivedCalls());
    }

    [Fact]
    public async Task FailAsync_NoUserLocking_AnswersWhenLockedLikeForAUser()
    {
        Locks(Ip, Now.AddMinutes(3));

        var result = await Attempts().FailAsync(
            new AttemptClaim("sha:NOBODY@EXAMPLE.COM", Ip, true), null, AttemptKind.Password, FailureReasons.UnknownAccount, Wrong, CancellationToken.None,
            whenLocked: Error.AccountLocked);

        Assert.Same(Error.AccountLocked, result.Error);
        Assert.True(result.KeepsChanges);
        _domainEvents.Received(1).Raise(new LoginFailed(null, FailureReasons.UnknownAccount));
        Assert.Single(_domainEvents.ReceivedCalls());
    }

    // ---- SucceedAsync ----

    [Fact]
    public async Task SucceedAsync_ClaimWithAccountWide_ReleasesBothScopesAndCountsNothing()
    {
        await Attempts().SucceedAsync(new AttemptClaim(Account, Ip, true), CancellationToken.None);

        await _throttle.Received(1).ReleaseAsync(Account, Ip, Arg.Any<CancellationToken>());
        await _throttle.Received(1).ReleaseAsync(Account, AccountWide, Arg.Any<CancellationToken>());
        Assert.Equal(2, _throttle.ReceivedCalls().Count());
        Assert.Empty(_domainEvents.ReceivedCalls());
    }

    [Fact]
    public async Task SucceedAsync_ClaimWithoutAccountWide_ReleasesOnlyTheAddressScope()
    {
        await Attempts().SucceedAsync(new AttemptClaim(Account, Ip, false), CancellationToken.None);

        await _throttle.Received(1).ReleaseAsync(Account, Ip, Arg.Any<CancellationToken>());
        Assert.Single(_throttle.ReceivedCalls());
    }
}
