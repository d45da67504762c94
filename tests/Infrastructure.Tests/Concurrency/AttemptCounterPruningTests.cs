using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Persistence.Throttling;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

using static AuthPlatform.Infrastructure.Tests.TestSupport.PrunerSupport;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// ADR 0012, pruning: the budgets that no longer hold anything are deleted (a window passed with
/// no lock in force, attempts in flight of a crashed request included), the live ones are kept (a
/// lock in force, a window still open, attempts in flight within it), a deleted budget answers as
/// the row would have, and claims and failures racing a prune lose nothing. The background
/// service runs a prune every interval, survives a failing database and stops promptly.
/// </summary>
public abstract class AttemptCounterPruningTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private const int Limit = 10;
    private const string Address = "198.51.100.9";
    private static readonly LockoutPolicy Policy = new(Limit, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20), 100);

    private static string NewAccount() => Guid.NewGuid().ToString("N");

    private async Task<T> WithThrottle<T>(Func<AttemptThrottle, Task<T>> act)
    {
        await using var scope = database.NewScope();
        return await act(scope.ServiceProvider.GetRequiredService<AttemptThrottle>());
    }

    private Task<bool> ClaimAsync(string account, DateTimeOffset now) =>
        WithThrottle(t => t.TryClaimAsync(account, Address, Limit, Policy, now, CancellationToken.None));

    private Task<DateTimeOffset?> FailAsync(string account, DateTimeOffset now, bool claimed = true) =>
        WithThrottle(t => t.FailAsync(account, Address, claimed, Limit, Policy, now, CancellationToken.None));

    private Task<int> PruneAsync(DateTimeOffset now, int batchSize = AttemptCounterPruner.BatchSize) =>
        WithThrottle(t => t.PruneAsync(Policy, now, batchSize, CancellationToken.None));

    private async Task FailTimesAsync(string account, int times, DateTimeOffset at)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(await ClaimAsync(account, at));
            await FailAsync(account, at);
        }
    }

    private Task<List<string>> StoredAccountsAsync(IEnumerable<string> among)
    {
        var accounts = among.ToList();
        return database.ReadAsync(db => db.Set<AttemptCounter>().Where(c => accounts.Contains(c.Account)).Select(c => c.Account).ToListAsync());
    }

    private Task<Stored?> StoredAsync(string account) =>
        database.ReadAsync(db => db.Set<AttemptCounter>().Where(c => c.Account == account && c.Scope == Address)
            .Select(c => new Stored(c.Failures, c.InFlight, c.LockedUntil)).SingleOrDefaultAsync());

    /// <summary>A row as an older version wrote it: created, never given a window (a request that died between its two statements).</summary>
    private async Task InsertRowWithoutAWindowAsync(string account)
    {
        await using var scope = database.NewScope();
        await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Database.ExecuteSqlAsync(
            $"INSERT INTO attempt_counters (account, scope, failures, in_flight) VALUES ({account}, {Address}, 0, 0)");
    }

    [Fact]
    public async Task PruneAsync_StaleAndLiveBudgets_DeletesTheStaleAndKeepsTheLive()
    {
        var now = NewStart();
        var longAgo = now - TimeSpan.FromHours(1);
        var (failures, lockEnded, crashedInFlight, neverStarted) = (NewAccount(), NewAccount(), NewAccount(), NewAccount());
        var (lockInForce, windowOpen, inFlight) = (NewAccount(), NewAccount(), NewAccount());
        await FailTimesAsync(failures, 3, longAgo);
        await FailTimesAsync(lockEnded, Limit, longAgo); // locked until longAgo + 20 min
        Assert.True(await ClaimAsync(crashedInFlight, longAgo)); // claimed, never judged: the process died mid-hash
        await InsertRowWithoutAWindowAsync(neverStarted);
        await FailTimesAsync(lockInForce, Limit, now - TimeSpan.FromMinutes(16)); // its window has passed, its lock has not
        await FailTimesAsync(windowOpen, 2, now - TimeSpan.FromMinutes(14));
        Assert.True(await ClaimAsync(inFlight, now - TimeSpan.FromMinutes(1))); // being evaluated right now

        var pruned = await PruneAsync(now, batchSize: 2); // several batches

        Assert.True(pruned >= 4, $"{pruned} rows pruned");
        var kept = await StoredAccountsAsync([failures, lockEnded, crashedInFlight, neverStarted, lockInForce, windowOpen, inFlight]);
        Assert.Equal(new[] { lockInForce, windowOpen, inFlight }.Order(), kept.Order());
        Assert.Equal(new Stored(Limit, 0, now - TimeSpan.FromMinutes(16) + Policy.LockoutDuration), await StoredAsync(lockInForce));
        Assert.Equal(new Stored(2, 0, null), await StoredAsync(windowOpen));
        Assert.Equal(new Stored(0, 1, null), await StoredAsync(inFlight));
    }

    [Fact]
    public async Task PruneAsync_ThenTheSameAddressTriesAgain_AnswersAsTheRowWouldHave()
    {
        var now = NewStart();
        var (reclaimed, refailed) = (NewAccount(), NewAccount());
        await FailTimesAsync(reclaimed, Limit, now - TimeSpan.FromHours(1));
        await FailTimesAsync(refailed, Limit - 1, now - TimeSpan.FromHours(1));
        await PruneAsync(now);
        Assert.Empty(await StoredAccountsAsync([reclaimed, refailed]));

        Assert.True(await ClaimAsync(reclaimed, now));
        Assert.Null(await FailAsync(refailed, now, claimed: false)); // one failure of a fresh window: no lock

        Assert.Equal(new Stored(0, 1, null), await StoredAsync(reclaimed));
        Assert.Equal(new Stored(1, 0, null), await StoredAsync(refailed));
        Assert.Equal(0, await PruneAsync(now + TimeSpan.FromMinutes(14))); // the new rows' windows are open
    }

    [Fact]
    public async Task TryClaimAsync_StaleBudgetsWhilePrunesRun_NoClaimIsRefused()
    {
        var now = NewStart();
        var accounts = Enumerable.Range(0, 40).Select(_ => NewAccount()).ToList();
        foreach (var account in accounts)
        {
            await FailTimesAsync(account, Limit - 1, now - TimeSpan.FromHours(1)); // stale: the next claim starts afresh
        }

        var claims = await RacePrunesAsync(now, accounts, (throttle, account) => throttle.TryClaimAsync(account, Address, Limit, Policy, now, CancellationToken.None));

        Assert.All(claims, Assert.True);
        foreach (var account in accounts)
        {
            Assert.Equal(new Stored(0, 1, null), await StoredAsync(account));
        }
    }

    [Fact]
    public async Task FailAsync_StaleBudgetsWhilePrunesRun_EveryFailureCounts()
    {
        var now = NewStart();
        var accounts = Enumerable.Range(0, 40).Select(_ => NewAccount()).ToList();
        foreach (var account in accounts)
        {
            await FailTimesAsync(account, 1, now - TimeSpan.FromHours(1));
        }

        await RacePrunesAsync(now, accounts, async (throttle, account) =>
            await throttle.FailAsync(account, Address, false, Limit, Policy, now, CancellationToken.None) is null);

        foreach (var account in accounts)
        {
            Assert.Equal(new Stored(1, 0, null), await StoredAsync(account));
        }
    }

    /// <summary>Runs <paramref name="act"/> on every account in parallel while prunes at the same <paramref name="now"/> run in a loop.</summary>
    private async Task<bool[]> RacePrunesAsync(DateTimeOffset now, List<string> accounts, Func<IAttemptThrottle, string, Task<bool>> act)
    {
        using var done = new CancellationTokenSource();
        var prunes = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await PruneAsync(now, batchSize: 1);
            }
        })).ToArray();
        try
        {
            return await database.InParallelAsync(accounts.Count, (services, i) => act(services.GetRequiredService<IAttemptThrottle>(), accounts[i]));
        }
        finally
        {
            await done.CancelAsync();
            await Task.WhenAll(prunes);
        }
    }

    private AttemptCounterPruner NewPruner(FakeTimeProvider clock, ListLogger<AttemptCounterPruner> logger, IServiceScopeFactory? scopes = null) =>
        new(
            scopes ?? database.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new LockoutOptions
            {
                MaxFailedAttempts = Limit, Window = Policy.Window, Duration = Policy.LockoutDuration, PruneInterval = TimeSpan.FromMinutes(10),
            }),
            clock,
            logger,
            OwnLease()); // the tests run on clocks of their own: one lease name each

    [Fact]
    public async Task Pruner_EveryInterval_DeletesWhatHasBecomeStale()
    {
        var clock = new FakeTimeProvider(NewStart());
        var (old, recent) = (NewAccount(), NewAccount());
        await FailTimesAsync(old, 2, clock.GetUtcNow() - TimeSpan.FromMinutes(20));
        await FailTimesAsync(recent, 2, clock.GetUtcNow() - TimeSpan.FromMinutes(2)); // its window passes at +13 minutes
        var logger = new ListLogger<AttemptCounterPruner>();
        using var pruner = NewPruner(clock, logger);
        await pruner.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(10)); // first run: old is stale, recent's window is open
        await Eventually(async () => await StoredAccountsAsync([old, recent]) is [var only] && only == recent);
        clock.Advance(TimeSpan.FromMinutes(10)); // second run: recent's window has passed
        await Eventually(async () => (await StoredAccountsAsync([old, recent])).Count == 0);

        await pruner.StopAsync(CancellationToken.None);
        Assert.Empty(logger.Warnings);
    }

    [Fact]
    public async Task Pruner_WhenARunFailsOnTheDatabase_LogsItAndTheNextRunPrunes()
    {
        await using var broken = database.BrokenDatabase();
        var scopes = new PrunerSupport.FirstScopeFrom(broken.GetRequiredService<IServiceScopeFactory>(), database.Services.GetRequiredService<IServiceScopeFactory>());
        var clock = new FakeTimeProvider(NewStart());
        var stale = NewAccount();
        await FailTimesAsync(stale, 2, clock.GetUtcNow() - TimeSpan.FromHours(1));
        var logger = new ListLogger<AttemptCounterPruner>();
        using var pruner = NewPruner(clock, logger, scopes);
        await pruner.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(10)); // the first run reaches a database without the table
        await Eventually(() => Task.FromResult(logger.Warnings.Count == 1));
        Assert.Single(await StoredAccountsAsync([stale]));
        clock.Advance(TimeSpan.FromMinutes(10)); // the loop went on: the next run prunes
        await Eventually(async () => (await StoredAccountsAsync([stale])).Count == 0);

        await pruner.StopAsync(CancellationToken.None);
        Assert.NotNull(logger.Warnings[0].Exception);
        Assert.True(pruner.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Pruner_StopWhileARunWaitsForALockedTable_StopsPromptly()
    {
        var clock = new FakeTimeProvider(NewStart());
        var stale = NewAccount();
        await FailTimesAsync(stale, 1, clock.GetUtcNow() - TimeSpan.FromHours(1));
        var logger = new ListLogger<AttemptCounterPruner>();
        using var pruner = NewPruner(clock, logger);
        await using var blocker = database.NewScope();
        var db = blocker.ServiceProvider.GetRequiredService<AuthDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var lockStatement = database.Kind == DatabaseKind.Postgres
            ? "LOCK TABLE attempt_counters IN ACCESS EXCLUSIVE MODE"
            : "UPDATE attempt_counters SET failures = failures"; // SQLite: the database's write lock
        await db.Database.ExecuteSqlRawAsync(lockStatement);
        await pruner.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(10));
        if (database.Kind == DatabaseKind.Postgres)
        {
            await Eventually(async () => await database.ReadAsync(d => d.Database.SqlQuery<int>(
                $"SELECT COUNT(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DELETE FROM attempt_counters%'").SingleAsync()) == 1);
        }
        else
        {
            await Task.Delay(500); // the run is waiting for the database's write lock now
        }

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await pruner.StopAsync(patience.Token);
        stopping.Stop();

        Assert.True(pruner.ExecuteTask!.IsCompleted, "the pruner's loop has not ended");
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");
        Assert.False(pruner.ExecuteTask.IsFaulted);
        Assert.Empty(logger.Warnings); // a cancelled run is no failure
        await transaction.RollbackAsync();
        Assert.Single(await StoredAccountsAsync([stale])); // the run never got to delete it
    }

    private sealed record Stored(int Failures, int InFlight, DateTimeOffset? LockedUntil);
}

public sealed class AttemptCounterPruningTestsOnSqlite(SqliteDatabase database) : AttemptCounterPruningTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class AttemptCounterPruningTestsOnPostgres(PostgresDatabase database) : AttemptCounterPruningTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
