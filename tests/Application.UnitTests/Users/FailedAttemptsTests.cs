using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Users;

public sealed class FailedAttemptsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Error Wrong = new(ErrorCodes.InvalidCredentials, "wrong");

    private readonly IUserRepository _users = Substitute.For<IUserRepository>();
    private readonly LockoutOptions _lockout = new() { MaxFailedAttempts = 4, Window = TimeSpan.FromMinutes(7), Duration = TimeSpan.FromMinutes(3) };
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly User _user;

    public FailedAttemptsTests()
    {
        _user = User.Register(Guid.NewGuid(), EmailAddress.Create("alice@example.com"), "Alice", "hash", "stamp", Now);
        _user.DequeueDomainEvents();
    }

    private FailedAttempts Attempts() => new(_users, Options.Create(_lockout), _clock);

    /// <summary>The store's atomic update answers <paramref name="locked"/>; when it locked, the user is reloaded with its lock.</summary>
    private void StoreAnswers(bool locked, DateTimeOffset? lockedUntil = null) =>
        _users.RecordFailedLoginAsync(_user, Arg.Any<LockoutPolicy>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(_ =>
            {
                if (locked)
                {
                    typeof(User).GetProperty(nameof(User.LockedUntil))!.SetValue(_user, lockedUntil);
                }

                return locked;
            });

    [Fact]
    public async Task RecordAsync_Always_HasTheStoreCountOnceWithTheConfiguredPolicyAtTheClocksTime()
    {
        StoreAnswers(locked: false);
        _clock.Advance(TimeSpan.FromSeconds(5));

        await Attempts().RecordAsync(_user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None);

        await _users.Received(1).RecordFailedLoginAsync(
            _user, new LockoutPolicy(4, TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(3)), Now.AddSeconds(5), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RecordAsync_OptionsChangedAfterConstruction_UsesTheCurrentOptions()
    {
        StoreAnswers(locked: false);
        var attempts = Attempts();
        _lockout.MaxFailedAttempts = 9;

        await attempts.RecordAsync(_user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None);

        await _users.Received(1).RecordFailedLoginAsync(
            _user, Arg.Is<LockoutPolicy>(p => p.MaxFailedAttempts == 9), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RecordAsync_PasswordNotLocking_RefusesWithTheErrorKeepingChangesAndRaisesLoginFailed()
    {
        StoreAnswers(locked: false);

        var result = await Attempts().RecordAsync(_user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(new IDomainEvent[] { new LoginFailed(_user.Id, FailureReasons.WrongPassword) }, _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task RecordAsync_SecondFactorNotLocking_RaisesSecondFactorFailed()
    {
        StoreAnswers(locked: false);

        var result = await Attempts().RecordAsync(_user, AttemptKind.SecondFactor, "step_up", Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(new IDomainEvent[] { new SecondFactorFailed(_user.Id, "step_up") }, _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task RecordAsync_NotLockingWithAnAnswerForLocked_StillAnswersTheError()
    {
        StoreAnswers(locked: false);

        var result = await Attempts().RecordAsync(
            _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None, whenLocked: Error.AccountLocked);

        Assert.Same(Wrong, result.Error);
    }

    [Fact]
    public async Task RecordAsync_LockingWithAnAnswerForLocked_AnswersItKeepingChangesAndRaisesAccountLocked()
    {
        var until = Now.AddMinutes(3);
        StoreAnswers(locked: true, lockedUntil: until);

        var result = await Attempts().RecordAsync(
            _user, AttemptKind.Password, FailureReasons.WrongPassword, Wrong, CancellationToken.None, whenLocked: Error.AccountLocked);

        Assert.Same(Error.AccountLocked, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(
            new IDomainEvent[] { new LoginFailed(_user.Id, FailureReasons.WrongPassword), new AccountLocked(_user.Id, until) },
            _user.DequeueDomainEvents());
    }

    [Fact]
    public async Task RecordAsync_LockingWithoutAnAnswerForLocked_AnswersTheErrorAndRaisesAccountLocked()
    {
        var until = Now.AddMinutes(3);
        StoreAnswers(locked: true, lockedUntil: until);

        var result = await Attempts().RecordAsync(_user, AttemptKind.SecondFactor, "login", Wrong, CancellationToken.None);

        Assert.Same(Wrong, result.Error);
        Assert.True(result.KeepsChanges);
        Assert.Equal(
            new IDomainEvent[] { new SecondFactorFailed(_user.Id, "login"), new AccountLocked(_user.Id, until) },
            _user.DequeueDomainEvents());
    }
}
