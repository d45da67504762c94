// Longer than 150 lines because each retention rule (tokens, sessions, audit, batches, the lease, reuse) is tested here against one application.
using System.Net;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Persistence.Retention;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Integration.Tests.Persistence;

/// <summary>
/// Retention (docs/operations.md, "Pruning"): redeemed refresh tokens, ended sessions and audit rows
/// older than their retention are deleted, younger ones stay; batches loop; of two pruners on one
/// database only one runs a pass (the lease row); a pruned redeemed token is refused, not reused.
/// The pruners under test run on a clock of their own, days after the application's.
/// </summary>
public abstract class RetentionPruningTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private static readonly SessionLifetimes Lifetimes = new(TimeSpan.FromDays(30), TimeSpan.FromDays(90));
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>A pruner of its own (its own lease name unless given), on <paramref name="clock"/>, with the default retention.</summary>
    private RetentionPruner NewPruner(TimeProvider clock, string? lease = null, RetentionOptions? retention = null) =>
        new(Factory.Services.GetRequiredService<IServiceScopeFactory>(), Options.Create(retention ?? new RetentionOptions { PruneInterval = Interval }),
            clock, NullLogger<RetentionPruner>.Instance, lease ?? "test-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>A time of the test's own, years after the application's clock and after every earlier test's.</summary>
    private static int _tests;

    private DateTimeOffset NewBase() => Factory.Clock.GetUtcNow() + TimeSpan.FromDays(1000 * Interlocked.Increment(ref _tests));

    private async Task<Guid> NewUserIdAsync()
    {
        var (_, session) = await NewSessionAsync();
        return Guid.Parse(Str(session["user"], "id"));
    }

    private async Task AddAsync(params object[] rows)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    }

    /// <summary>A session started at <paramref name="start"/>, rotated once an hour later: (family, its redeemed token's id).</summary>
    private static (RefreshTokenFamily Family, Guid Redeemed) Rotated(Guid userId, DateTimeOffset start)
    {
        var first = Guid.NewGuid().ToString("N");
        var family = RefreshTokenFamily.Start(Guid.NewGuid(), userId, first, ScopeSet.Empty, ["pwd"], null, null, Lifetimes, start);
        Assert.Equal(RotationOutcome.Rotated, family.Rotate(first, Guid.NewGuid().ToString("N"), Lifetimes, start + TimeSpan.FromHours(1)));
        return (family, family.Tokens.Single(t => t.RedeemedAt is not null).Id);
    }

    private async Task RevokeAsync(Guid familyId, DateTimeOffset at)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuthDbContext>().RefreshTokenFamilies.Where(f => f.Id == familyId)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.RevokedAt, at).SetProperty(f => f.RevocationReason, "logout"));
    }

    private static AuditEvent Audit(Guid userId, DateTimeOffset at) =>
        AuditEvent.Record(Guid.NewGuid(), "test.retention", at, userId, userId, null, null, null, null);

    private async Task<(HashSet<Guid> Families, HashSet<Guid> Tokens, HashSet<Guid> Audit)> StoredAsync(Guid userId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var families = await db.RefreshTokenFamilies.Where(f => f.UserId == userId).Select(f => f.Id).ToListAsync();
        var tokens = await db.RefreshTokens.Where(t => families.Contains(t.FamilyId)).Select(t => t.Id).ToListAsync();
        var audit = await db.AuditEvents.Where(e => e.UserId == userId && e.Type == "test.retention").Select(e => e.Id).ToListAsync();
        return ([.. families], [.. tokens], [.. audit]);
    }

    [Fact]
    public async Task Prune_RowsOlderThanTheirRetention_GoAndYoungerOnesStay()
    {
        var now = NewBase();
        var user = await NewUserIdAsync();
        var old = Rotated(user, now - TimeSpan.FromDays(40)); // redeemed token expired 10 days ago (> 7): goes; session ended 10 days ago (< 30): stays
        var young = Rotated(user, now - TimeSpan.FromDays(20)); // redeemed token expires in 10 days: stays
        var ended = Rotated(user, now - TimeSpan.FromDays(70)); // ended 40 days ago: goes, with its current token
        var revokedLongAgo = Rotated(user, now - TimeSpan.FromDays(35));
        var revokedRecently = Rotated(user, now - TimeSpan.FromDays(35));
        var oldAudit = Audit(user, now - TimeSpan.FromDays(366));
        var youngAudit = Audit(user, now - TimeSpan.FromDays(364));
        await AddAsync(old.Family, young.Family, ended.Family, revokedLongAgo.Family, revokedRecently.Family, oldAudit, youngAudit);
        await RevokeAsync(revokedLongAgo.Family.Id, now - TimeSpan.FromDays(31));
        await RevokeAsync(revokedRecently.Family.Id, now - TimeSpan.FromDays(29));

        Assert.NotNull(await NewPruner(new FakeTimeProvider(now)).TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None));

        var (families, tokens, audit) = await StoredAsync(user);
        Assert.Equal(
            new HashSet<Guid> { old.Family.Id, young.Family.Id, revokedRecently.Family.Id },
            families.Intersect([old.Family.Id, young.Family.Id, ended.Family.Id, revokedLongAgo.Family.Id, revokedRecently.Family.Id]).ToHashSet());
        Assert.DoesNotContain(old.Redeemed, tokens);
        Assert.Contains(old.Family.CurrentTokenId, tokens);
        Assert.Contains(young.Redeemed, tokens);
        Assert.DoesNotContain(ended.Family.CurrentTokenId, tokens);
        Assert.DoesNotContain(revokedLongAgo.Family.CurrentTokenId, tokens);
        Assert.Contains(revokedRecently.Family.CurrentTokenId, tokens);
        Assert.Equal([youngAudit.Id], audit);
    }

    [Fact]
    public async Task Prune_AuditRetentionZero_KeepsAuditRowsForever()
    {
        var now = NewBase();
        var user = await NewUserIdAsync();
        var ancient = Audit(user, now - TimeSpan.FromDays(3000));
        await AddAsync(ancient);

        await NewPruner(new FakeTimeProvider(now), retention: new RetentionOptions { PruneInterval = Interval, AuditEvents = TimeSpan.Zero })
            .TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None);

        Assert.Equal([ancient.Id], (await StoredAsync(user)).Audit);
    }

    [Fact]
    public async Task Prune_MoreThanABatch_LoopsUntilNothingOldIsLeft()
    {
        var now = NewBase();
        var user = await NewUserIdAsync();
        var sessions = Enumerable.Range(1, 5).Select(i => Rotated(user, now - TimeSpan.FromDays(60 + i))).ToList();
        var audit = Enumerable.Range(1, 5).Select(i => Audit(user, now - TimeSpan.FromDays(400 + i))).ToList();
        await AddAsync([.. sessions.Select(s => s.Family), .. audit]);

        var pruned = await NewPruner(new FakeTimeProvider(now)).TryPruneAsync(batchSize: 2, CancellationToken.None);

        Assert.True(pruned >= 15, $"{pruned} rows pruned"); // 5 redeemed tokens, 5 families (their current tokens by cascade), 5 audit rows
        var stored = await StoredAsync(user);
        Assert.Empty(stored.Families.Intersect(sessions.Select(s => s.Family.Id)));
        Assert.Empty(stored.Audit);
    }

    [Fact]
    public async Task Prune_TwoPrunersRacing_OnlyOneRunsThePassAndTheOtherTakesTheNextOne()
    {
        var clock = new FakeTimeProvider(NewBase());
        var lease = "race-" + Guid.NewGuid().ToString("N")[..16];
        var a = NewPruner(clock, lease);
        var b = NewPruner(clock, lease);

        var runs = await Task.WhenAll(a.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None), b.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None));

        Assert.Single(runs, r => r is not null);
        var (winner, loser) = runs[0] is not null ? (a, b) : (b, a);
        var user = await NewUserIdAsync();
        var old = Audit(user, clock.GetUtcNow() - TimeSpan.FromDays(400));
        await AddAsync(old);
        Assert.Null(await loser.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None)); // the lease lasts one interval
        Assert.Equal([old.Id], (await StoredAsync(user)).Audit);
        Assert.NotNull(await winner.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None)); // its holder may run again

        var older = Audit(user, clock.GetUtcNow() - TimeSpan.FromDays(400));
        await AddAsync(older);
        clock.Advance(Interval);
        Assert.NotNull(await loser.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None)); // expired: anyone's
        Assert.Empty((await StoredAsync(user)).Audit);
        Assert.Null(await winner.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None));
    }

    [Fact]
    public async Task Refresh_WithARedeemedTokenThatWasPruned_Returns401InvalidTokenAndStartsNoSession()
    {
        var (_, session) = await NewSessionAsync();
        var user = Guid.Parse(Str(session["user"], "id"));
        var first = Str(session, "refresh_token");
        var rotated = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = first });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = Str(await ReadObjectAsync(rotated), "refresh_token");
        var before = await StoredAsync(user);

        // The redeemed token's retention ends 30 days (its lifetime) + 7 days after its issue.
        var pruner = NewPruner(new FakeTimeProvider(Factory.Clock.GetUtcNow() + TimeSpan.FromDays(37) + TimeSpan.FromMinutes(1)));
        Assert.True(await pruner.TryPruneAsync(PeriodicPruner.BatchSize, CancellationToken.None) >= 1);
        Assert.Equal(before.Tokens.Count - 1, (await StoredAsync(user)).Tokens.Count);

        var replay = await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = first });

        await AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(before.Families, (await StoredAsync(user)).Families);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = second })).StatusCode);
    }
}

public sealed class RetentionPruningTestsOnSqlite(SqliteApiFixture fixture) : RetentionPruningTests<SqliteApiFixture>(fixture);

public sealed class RetentionPruningTestsOnPostgres(PostgresApiFixture fixture) : RetentionPruningTests<PostgresApiFixture>(fixture);
