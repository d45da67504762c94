using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence.Throttling;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// RL-01 and ADR 0012 at the database: <c>AttemptThrottle</c> claims an attempt before it is
/// evaluated and counts failures with conditional statements, so however many requests arrive
/// at once, no more attempts are evaluated than the budget, every failure counts, and a success
/// erases none.
/// </summary>
public abstract class AttemptThrottleTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private const int Limit = 10;
    private const string Address = "203.0.113.7";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly LockoutPolicy Policy = new(Limit, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20), 100);

    private static string NewAccount() => Guid.NewGuid().ToString("N");

    private async Task<T> WithThrottle<T>(Func<IAttemptThrottle, Task<T>> act)
    {
        await using var scope = database.NewScope();
        return await act(scope.ServiceProvider.GetRequiredService<IAttemptThrottle>());
    }

    private Task<bool> ClaimAsync(string account, DateTimeOffset now) =>
        WithThrottle(t => t.TryClaimAsync(account, Address, Limit, Policy, now, CancellationToken.None));

    private Task<DateTimeOffset?> FailAsync(string account, DateTimeOffset now, bool claimed = true) =>
        WithThrottle(t => t.FailAsync(account, Address, claimed, Limit, Policy, now, CancellationToken.None));

    private Task<Stored> StoredAsync(string account) =>
        database.ReadAsync(db => db.Set<AttemptCounter>().Where(c => c.Account == account && c.Scope == Address)
            .Select(c => new Stored(c.Failures, c.InFlight, c.LockedUntil)).SingleAsync());

    [Fact]
    public async Task TryClaimAsync_UntilFailuresAndAttemptsInFlightReachTheLimit_ThenRefuses()
    {
        var account = NewAccount();
        for (var i = 0; i < Limit - 1; i++)
        {
            Assert.True(await ClaimAsync(account, Start));
            await FailAsync(account, Start);
        }

        Assert.True(await ClaimAsync(account, Start)); // the tenth attempt, in flight
        Assert.False(await ClaimAsync(account, Start)); // nine failures + one in flight: nothing more is evaluated
        Assert.Equal(new Stored(Limit - 1, 1, null), await StoredAsync(account));
    }

    [Fact]
    public async Task FailAsync_TheFailureThatReachesTheLimit_LocksOnceForTheLockoutDuration()
    {
        var account = NewAccount();
        var locks = new List<DateTimeOffset?>();
        for (var i = 0; i < Limit; i++)
        {
            Assert.True(await ClaimAsync(account, Start));
            locks.Add(await FailAsync(account, Start));
        }

        Assert.Equal(Enumerable.Repeat<DateTimeOffset?>(null, Limit - 1).Append(Start + Policy.LockoutDuration), locks);
        Assert.False(await ClaimAsync(account, Start + Policy.Window)); // the window passed, the lock has not
        Assert.True(await ClaimAsync(account, Start + Policy.LockoutDuration)); // the lock ended: a fresh start
        Assert.Equal(new Stored(0, 1, null), await StoredAsync(account));
    }

    [Fact]
    public async Task ReleaseAsync_AfterASuccess_EndsTheAttemptAndErasesNoFailure()
    {
        var account = NewAccount();
        for (var i = 0; i < 3; i++)
        {
            await ClaimAsync(account, Start);
            await FailAsync(account, Start);
        }

        await ClaimAsync(account, Start);
        await WithThrottle(async t => { await t.ReleaseAsync(account, Address, CancellationToken.None); return 0; });

        Assert.Equal(new Stored(3, 0, null), await StoredAsync(account));
    }

    [Fact]
    public async Task TryClaimAsync_OnceTheWindowHasPassed_StartsTheCountAgain()
    {
        var account = NewAccount();
        for (var i = 0; i < 5; i++)
        {
            await ClaimAsync(account, Start);
            await FailAsync(account, Start);
        }

        Assert.True(await ClaimAsync(account, Start + Policy.Window));
        Assert.Equal(new Stored(0, 1, null), await StoredAsync(account));
    }

    [Fact]
    public async Task TryClaimAsync_SixtyInParallel_ClaimExactlyTheLimit()
    {
        var account = NewAccount();

        var claims = await database.InParallelAsync(
            60, (services, _) => services.GetRequiredService<IAttemptThrottle>().TryClaimAsync(account, Address, Limit, Policy, Start, CancellationToken.None));

        Assert.Equal(Limit, claims.Count(c => c));
        Assert.Equal(new Stored(0, Limit, null), await StoredAsync(account));
    }

    [Fact]
    public async Task ClaimThenFail_SixtyInParallel_EvaluateAtMostTheLimitAndLockOnce()
    {
        var account = NewAccount();

        var outcomes = await database.InParallelAsync(60, async (services, _) =>
        {
            var throttle = services.GetRequiredService<IAttemptThrottle>();
            if (!await throttle.TryClaimAsync(account, Address, Limit, Policy, Start, CancellationToken.None))
            {
                return "refused";
            }

            return await throttle.FailAsync(account, Address, true, Limit, Policy, Start, CancellationToken.None) is null ? "failed" : "locked";
        });

        Assert.Equal(Limit, outcomes.Count(o => o != "refused"));
        Assert.Equal(1, outcomes.Count(o => o == "locked"));
        Assert.Equal(new Stored(Limit, 0, Start + Policy.LockoutDuration), await StoredAsync(account));
    }

    [Fact]
    public async Task FailAsync_FortyInParallelWithoutClaims_CountsEveryOne()
    {
        var account = NewAccount();

        await database.InParallelAsync(40, (services, _) =>
            services.GetRequiredService<IAttemptThrottle>().FailAsync(account, Address, false, 1000, Policy, Start, CancellationToken.None));

        Assert.Equal(new Stored(40, 0, null), await StoredAsync(account));
    }

    [Fact]
    public async Task ClearAsync_LockedAccount_ForgetsEveryScope()
    {
        var account = NewAccount();
        for (var i = 0; i < Limit; i++)
        {
            await ClaimAsync(account, Start);
            await FailAsync(account, Start);
        }

        await WithThrottle(async t => { await t.ClearAsync(account, CancellationToken.None); return 0; });

        Assert.True(await ClaimAsync(account, Start));
    }

    private sealed record Stored(int Failures, int InFlight, DateTimeOffset? LockedUntil);
}

public sealed class AttemptThrottleTestsOnSqlite(SqliteDatabase database) : AttemptThrottleTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class AttemptThrottleTestsOnPostgres(PostgresDatabase database) : AttemptThrottleTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
