using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// RL-01 at the database: <c>UserRepository.RecordFailedLoginAsync</c> counts with conditional
/// updates (no read-modify-write in C#), so failures inside the window add up, a failure after it
/// starts again at one, reaching the limit locks, and parallel failures are all counted.
/// </summary>
public abstract class FailedLoginCounterTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly LockoutPolicy Policy = new(MaxFailedAttempts: 10, Window: TimeSpan.FromMinutes(15), LockoutDuration: TimeSpan.FromMinutes(20));

    private async Task<Guid> NewUserAsync()
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create($"{Guid.NewGuid():N}@example.com"), "Alice", "stored-hash", "stamp", Start);
        await database.AddAsync(user);
        return user.Id;
    }

    /// <summary>One failed login as the application records it: load the user in a scope of its own, then count.</summary>
    private async Task<(bool Locked, User Loaded)> FailAsync(Guid userId, LockoutPolicy policy, DateTimeOffset now)
    {
        await using var scope = database.NewScope();
        var users = scope.ServiceProvider.GetRequiredService<IUserRepository>();
        var user = await users.FindByIdAsync(userId, CancellationToken.None) ?? throw new InvalidOperationException("no such user");
        var locked = await users.RecordFailedLoginAsync(user, policy, now, CancellationToken.None);
        return (locked, user);
    }

    private Task<StoredCounter> StoredAsync(Guid userId) =>
        database.ReadAsync(db => db.Users.Where(u => u.Id == userId)
            .Select(u => new StoredCounter(u.FailedLoginCount, u.FailedLoginWindowStartedAt, u.LockedUntil))
            .SingleAsync());

    [Fact]
    public async Task RecordFailedLoginAsync_FailuresInsideTheWindow_AddUpFromTheFirstFailure()
    {
        var userId = await NewUserAsync();

        var results = new List<bool>();
        foreach (var now in new[] { Start, Start.AddMinutes(1), Start + Policy.Window - TimeSpan.FromSeconds(1) })
        {
            results.Add((await FailAsync(userId, Policy, now)).Locked);
        }

        Assert.Equal([false, false, false], results);
        Assert.Equal(new StoredCounter(3, Start, null), await StoredAsync(userId));
    }

    [Fact]
    public async Task RecordFailedLoginAsync_FailureOnceTheWindowHasPassed_RestartsTheCountAtOne()
    {
        var userId = await NewUserAsync();
        for (var i = 0; i < 4; i++)
        {
            await FailAsync(userId, Policy, Start.AddMinutes(i));
        }

        var later = Start + Policy.Window; // a window is [start, start + window): this is outside it
        var (locked, loaded) = await FailAsync(userId, Policy, later);

        Assert.False(locked);
        Assert.Equal(new StoredCounter(1, later, null), await StoredAsync(userId));
        Assert.Equal(1, loaded.FailedLoginCount); // the caller's entity is refreshed from the row
        Assert.Equal(later, loaded.FailedLoginWindowStartedAt);

        var (lockedAgain, _) = await FailAsync(userId, Policy, later.AddMinutes(1));
        Assert.False(lockedAgain);
        Assert.Equal(new StoredCounter(2, later, null), await StoredAsync(userId));
    }

    [Fact]
    public async Task RecordFailedLoginAsync_ReachingTheLimit_LocksResetsTheCountAndReturnsTrueForThatCallOnly()
    {
        var userId = await NewUserAsync();
        var results = new List<bool>();
        for (var i = 0; i < Policy.MaxFailedAttempts - 1; i++)
        {
            results.Add((await FailAsync(userId, Policy, Start.AddSeconds(i))).Locked);
        }

        var lockingAt = Start.AddMinutes(5);
        var (locked, loaded) = await FailAsync(userId, Policy, lockingAt);

        Assert.All(results, Assert.False);
        Assert.True(locked);
        Assert.Equal(new StoredCounter(0, null, lockingAt + Policy.LockoutDuration), await StoredAsync(userId));
        Assert.Equal(lockingAt + Policy.LockoutDuration, loaded.LockedUntil); // what the login audits ("until=")
        Assert.True(loaded.IsLockedOut(lockingAt));

        // The count starts again from nothing: the next failure is the first of a new window.
        var next = lockingAt.AddMinutes(1);
        var (lockedAgain, _) = await FailAsync(userId, Policy, next);
        Assert.False(lockedAgain);
        Assert.Equal(new StoredCounter(1, next, lockingAt + Policy.LockoutDuration), await StoredAsync(userId));
    }

    [Fact]
    public async Task RecordFailedLoginAsync_FortyParallelFailuresBelowTheLimit_CountsEveryOne()
    {
        var userId = await NewUserAsync();
        var roomy = Policy with { MaxFailedAttempts = 1000 };

        var locked = await database.InParallelAsync(
            40,
            (services, _) => LoadAsync(services, userId),
            (services, user, _) => services.GetRequiredService<IUserRepository>().RecordFailedLoginAsync(user, roomy, Start, CancellationToken.None));

        Assert.DoesNotContain(true, locked);
        Assert.Equal(new StoredCounter(40, Start, null), await StoredAsync(userId));
    }

    [Fact]
    public async Task RecordFailedLoginAsync_TenParallelFailuresWithLimitTen_LockExactlyOnce()
    {
        // Ten increments reach the limit once; the lock statement that sees them resets the count,
        // and a second lock would need ten more failures.
        var userId = await NewUserAsync();

        var locked = await database.InParallelAsync(
            Policy.MaxFailedAttempts,
            (services, _) => LoadAsync(services, userId),
            (services, user, _) => services.GetRequiredService<IUserRepository>().RecordFailedLoginAsync(user, Policy, Start, CancellationToken.None));

        Assert.Equal(1, locked.Count(l => l));
        Assert.Equal(new StoredCounter(0, null, Start + Policy.LockoutDuration), await StoredAsync(userId));
    }

    [Fact]
    public async Task RecordFailedLoginAsync_FortyParallelFailuresWithLimitTen_LockExactlyFourTimes()
    {
        // Counting and locking are one atomic step: every failure counts towards exactly one
        // lockout, however the forty calls interleave (without the transaction that joins the two
        // statements, PostgreSQL gave 1 to 3 lockouts with failures left over).
        var userId = await NewUserAsync();

        var locked = await database.InParallelAsync(
            40,
            (services, _) => LoadAsync(services, userId),
            (services, user, _) => services.GetRequiredService<IUserRepository>().RecordFailedLoginAsync(user, Policy, Start, CancellationToken.None));

        Assert.Equal(40 / Policy.MaxFailedAttempts, locked.Count(l => l));
        Assert.Equal(new StoredCounter(0, null, Start + Policy.LockoutDuration), await StoredAsync(userId));
    }

    [Fact]
    public async Task RecordFailedLoginAsync_FortyFailuresOneAfterTheOtherWithLimitTen_LockExactlyFourTimes()
    {
        var userId = await NewUserAsync();

        var locked = new List<bool>();
        for (var i = 0; i < 40; i++)
        {
            locked.Add((await FailAsync(userId, Policy, Start)).Locked);
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(i => i % Policy.MaxFailedAttempts == 0), locked);
        Assert.Equal(new StoredCounter(0, null, Start + Policy.LockoutDuration), await StoredAsync(userId));
    }

    private static async Task<User> LoadAsync(IServiceProvider services, Guid userId) =>
        await services.GetRequiredService<IUserRepository>().FindByIdAsync(userId, CancellationToken.None)
            ?? throw new InvalidOperationException("no such user");

    private sealed record StoredCounter(int Count, DateTimeOffset? WindowStartedAt, DateTimeOffset? LockedUntil);
}

public sealed class FailedLoginCounterSqliteTests(SqliteDatabase database)
    : FailedLoginCounterTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class FailedLoginCounterPostgresTests(PostgresDatabase database)
    : FailedLoginCounterTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
