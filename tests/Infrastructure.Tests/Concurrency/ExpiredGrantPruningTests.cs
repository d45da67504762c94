using AuthPlatform.Application.Common.Options;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Infrastructure.OAuth;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static AuthPlatform.Infrastructure.Tests.TestSupport.PrunerSupport;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// Expired authorization codes and device authorizations are deleted once they expired more than
/// the retention ago: live ones and recently expired or redeemed ones (a late reuse of a code must
/// still be recognised) stay. Batches loop until nothing is left; the background service prunes
/// every interval and survives a failing database.
/// </summary>
public abstract class ExpiredGrantPruningTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>A client of the test's own, so that what a test reads is only its own rows.</summary>
    private async Task<string> NewClientAsync(DateTimeOffset now)
    {
        var clientId = "oc_" + Guid.NewGuid().ToString("N");
        await database.AddAsync(OAuthClient.RegisterBuiltIn(Guid.NewGuid(), clientId, BuiltInClients.CliSettings, now));
        return clientId;
    }

    private static AuthorizationCode Code(string clientId, DateTimeOffset expiresAt, bool redeemed = false)
    {
        var issuedAt = expiresAt - Lifetime;
        var code = AuthorizationCode.Issue(
            Guid.NewGuid(), Guid.NewGuid().ToString("N"), clientId, Guid.NewGuid(), "http://127.0.0.1/callback", ScopeSet.From([Scopes.Profile]),
            null, null, null, issuedAt, ["pwd"], Lifetime, issuedAt);
        if (redeemed)
        {
            Assert.Equal(CodeRedemptionOutcome.Redeemed, code.Redeem(issuedAt + TimeSpan.FromSeconds(1)));
        }

        return code;
    }

    private static DeviceAuthorization Device(string clientId, DateTimeOffset expiresAt) =>
        DeviceAuthorization.Request(
            Guid.NewGuid(), Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), clientId, ScopeSet.From([Scopes.Profile]),
            TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), expiresAt - TimeSpan.FromMinutes(10));

    private Task<List<Guid>> StoredAsync(string clientId) =>
        database.ReadAsync(async db =>
            (await db.AuthorizationCodes.Where(c => c.ClientId == clientId).Select(c => c.Id).ToListAsync())
                .Concat(await db.DeviceAuthorizations.Where(d => d.ClientId == clientId).Select(d => d.Id).ToListAsync()).Order().ToList());

    private async Task<int> PruneAsync(DateTimeOffset now, int batchSize = PeriodicPruner.BatchSize)
    {
        await using var scope = database.NewScope();
        return await ExpiredGrantPruner.PruneAsync(
            scope.ServiceProvider.GetRequiredService<AuthDbContext>(), scope.ServiceProvider.GetRequiredService<DatabaseWriteGate>(), now - Retention, batchSize, CancellationToken.None);
    }

    [Fact]
    public async Task PruneAsync_ExpiredBeyondTheRetention_GoesAndTheRestStays()
    {
        var now = NewStart();
        var client = await NewClientAsync(now);
        var gone = new object[]
        {
            Code(client, now - Retention - TimeSpan.FromSeconds(1)),
            Code(client, now - Retention, redeemed: true), // exactly the retention ago
            Code(client, now - TimeSpan.FromDays(30), redeemed: true),
            Device(client, now - Retention - TimeSpan.FromMinutes(1)),
        };
        var kept = new object[]
        {
            Code(client, now + TimeSpan.FromSeconds(30)), // live
            Code(client, now - Retention + TimeSpan.FromSeconds(1), redeemed: true), // a reuse now is still recognised
            Code(client, now - TimeSpan.FromMinutes(5)),
            Device(client, now + TimeSpan.FromMinutes(5)), // live
            Device(client, now - Retention + TimeSpan.FromMinutes(1)),
        };
        await database.AddAsync([.. gone, .. kept]);

        var pruned = await PruneAsync(now);

        Assert.True(pruned >= gone.Length, $"{pruned} rows pruned");
        Assert.Equal(kept.Select(IdOf).Order(), await StoredAsync(client));
    }

    [Fact]
    public async Task PruneAsync_MoreThanABatch_LoopsUntilNothingExpiredIsLeft()
    {
        var now = NewStart();
        var client = await NewClientAsync(now);
        var live = Code(client, now);
        await database.AddAsync([
            .. Enumerable.Range(1, 7).Select(i => Code(client, now - Retention - TimeSpan.FromMinutes(i))),
            .. Enumerable.Range(1, 5).Select(i => Device(client, now - Retention - TimeSpan.FromMinutes(i))),
            live,
        ]);

        var pruned = await PruneAsync(now, batchSize: 2);

        Assert.True(pruned >= 12, $"{pruned} rows pruned");
        Assert.Equal([live.Id], await StoredAsync(client));
        Assert.Equal(0, await PruneAsync(now, batchSize: 2));
    }

    private ExpiredGrantPruner NewPruner(FakeTimeProvider clock, ListLogger<ExpiredGrantPruner> logger, IServiceScopeFactory? scopes = null) =>
        new(
            scopes ?? database.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new OAuthOptions { PruneInterval = TimeSpan.FromMinutes(10), ExpiredGrantRetention = Retention }),
            clock,
            logger,
            OwnLease()); // the tests run on clocks of their own: one lease name each

    [Fact]
    public async Task Pruner_EveryInterval_DeletesWhatExpiredBeyondTheRetention()
    {
        var clock = new FakeTimeProvider(NewStart());
        var client = await NewClientAsync(clock.GetUtcNow());
        var old = Code(client, clock.GetUtcNow() - TimeSpan.FromHours(2), redeemed: true);
        var recent = Device(client, clock.GetUtcNow() - TimeSpan.FromMinutes(45)); // beyond the retention at +15 minutes
        await database.AddAsync(old, recent);
        var logger = new ListLogger<ExpiredGrantPruner>();
        using var pruner = NewPruner(clock, logger);
        await pruner.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(10)); // first run: old goes, recent stays
        await Eventually(async () => await StoredAsync(client) is [var only] && only == recent.Id);
        clock.Advance(TimeSpan.FromMinutes(10)); // second run: recent expired 65 minutes ago
        await Eventually(async () => (await StoredAsync(client)).Count == 0);

        await pruner.StopAsync(CancellationToken.None);
        Assert.Empty(logger.Warnings);
    }

    [Fact]
    public async Task Pruner_WhenARunFailsOnTheDatabase_LogsItAndTheNextRunPrunes()
    {
        await using var broken = database.BrokenDatabase();
        var scopes = new FirstScopeFrom(broken.GetRequiredService<IServiceScopeFactory>(), database.Services.GetRequiredService<IServiceScopeFactory>());
        var clock = new FakeTimeProvider(NewStart());
        var client = await NewClientAsync(clock.GetUtcNow());
        await database.AddAsync(Code(client, clock.GetUtcNow() - TimeSpan.FromHours(2)), Device(client, clock.GetUtcNow() - TimeSpan.FromHours(2)));
        var logger = new ListLogger<ExpiredGrantPruner>();
        using var pruner = NewPruner(clock, logger, scopes);
        await pruner.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(10)); // the first run reaches a database without the tables
        await Eventually(() => Task.FromResult(logger.Warnings.Count == 1));
        Assert.Equal(2, (await StoredAsync(client)).Count);
        clock.Advance(TimeSpan.FromMinutes(10)); // the loop went on: the next run prunes
        await Eventually(async () => (await StoredAsync(client)).Count == 0);

        await pruner.StopAsync(CancellationToken.None);
        Assert.NotNull(logger.Warnings[0].Exception);
        Assert.Contains("Pruning authorization_codes and device_authorizations failed", logger.Warnings[0].Message, StringComparison.Ordinal);
        Assert.True(pruner.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Pruner_IntervalZero_NeverRuns()
    {
        var clock = new FakeTimeProvider(NewStart());
        var client = await NewClientAsync(clock.GetUtcNow());
        await database.AddAsync(Code(client, clock.GetUtcNow() - TimeSpan.FromHours(2)));
        using var pruner = new ExpiredGrantPruner(
            database.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new OAuthOptions { PruneInterval = TimeSpan.Zero, ExpiredGrantRetention = Retention }),
            clock,
            new ListLogger<ExpiredGrantPruner>());
        await pruner.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromDays(1));

        await pruner.ExecuteTask!;
        Assert.Single(await StoredAsync(client));
        await pruner.StopAsync(CancellationToken.None);
    }

    private static Guid IdOf(object row) => row switch
    {
        AuthorizationCode code => code.Id,
        DeviceAuthorization device => device.Id,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };
}

public sealed class ExpiredGrantPruningTestsOnSqlite(SqliteDatabase database) : ExpiredGrantPruningTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class ExpiredGrantPruningTestsOnPostgres(PostgresDatabase database) : ExpiredGrantPruningTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
