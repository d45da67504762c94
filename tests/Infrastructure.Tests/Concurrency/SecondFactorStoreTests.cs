using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// MFA-01 at the database: <c>SecondFactorStore</c> claims a TOTP step and redeems a recovery
/// code with one conditional update each, so a replay, even a parallel one, finds nothing to update.
/// </summary>
public abstract class SecondFactorStoreTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long StartStep = Start.ToUnixTimeSeconds() / 30;

    /// <summary>A user with 2FA on, enrolled with a code of <paramref name="enrolledStep"/>, and ten recovery codes.</summary>
    private async Task<User> NewTwoFactorUserAsync(long enrolledStep)
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create($"{Guid.NewGuid():N}@example.com"), "Alice", "stored-hash", "stamp", Start);
        user.BeginTwoFactorSetup("protected-totp-secret");
        var codes = Enumerable.Range(0, User.RecoveryCodeCount)
            .Select(i => RecoveryCode.Create(Guid.NewGuid(), user.Id, $"cd{i:00}", $"slow-hash-{i}", Start))
            .ToList();
        user.EnableTwoFactor(enrolledStep, codes, Start);
        await database.AddAsync(user);
        return user;
    }

    private async Task<bool> AdvanceAsync(Guid userId, long step)
    {
        await using var scope = database.NewScope();
        return await scope.ServiceProvider.GetRequiredService<ISecondFactorStore>().TryAdvanceTotpStepAsync(userId, step, CancellationToken.None);
    }

    private async Task<bool> RedeemAsync(Guid codeId, DateTimeOffset now)
    {
        await using var scope = database.NewScope();
        return await scope.ServiceProvider.GetRequiredService<ISecondFactorStore>().TryRedeemRecoveryCodeAsync(codeId, now, CancellationToken.None);
    }

    private Task<long?> StoredStepAsync(Guid userId) =>
        database.ReadAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.LastTotpStep).SingleAsync());

    private Task<Dictionary<Guid, DateTimeOffset?>> StoredCodesAsync(Guid userId) =>
        database.ReadAsync(db => db.Set<RecoveryCode>().Where(c => c.UserId == userId).ToDictionaryAsync(c => c.Id, c => c.UsedAt));

    [Fact]
    public async Task TryAdvanceTotpStepAsync_SameStepTwice_IsAcceptedOnlyTheFirstTime()
    {
        var user = await NewTwoFactorUserAsync(StartStep - 10);

        Assert.True(await AdvanceAsync(user.Id, StartStep));
        Assert.False(await AdvanceAsync(user.Id, StartStep));
        Assert.Equal(StartStep, await StoredStepAsync(user.Id));
    }

    [Fact]
    public async Task TryAdvanceTotpStepAsync_StepNotNewerThanTheLastAccepted_IsRefusedAndChangesNothing()
    {
        var user = await NewTwoFactorUserAsync(StartStep);

        Assert.False(await AdvanceAsync(user.Id, StartStep)); // the enrolment's own code
        Assert.False(await AdvanceAsync(user.Id, StartStep - 1));
        Assert.False(await AdvanceAsync(user.Id, 0));
        Assert.Equal(StartStep, await StoredStepAsync(user.Id));

        Assert.True(await AdvanceAsync(user.Id, StartStep + 1));
        Assert.False(await AdvanceAsync(user.Id, StartStep));
        Assert.Equal(StartStep + 1, await StoredStepAsync(user.Id));
    }

    [Fact]
    public async Task TryAdvanceTotpStepAsync_NoStepAcceptedYet_AcceptsAnyStep()
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create($"{Guid.NewGuid():N}@example.com"), "Alice", "stored-hash", "stamp", Start);
        await database.AddAsync(user);

        Assert.True(await AdvanceAsync(user.Id, StartStep));
        Assert.Equal(StartStep, await StoredStepAsync(user.Id));
    }

    [Fact]
    public async Task TryAdvanceTotpStepAsync_StepOfAnotherUser_DoesNotBlockThisUser()
    {
        var alice = await NewTwoFactorUserAsync(StartStep - 10);
        var bob = await NewTwoFactorUserAsync(StartStep - 10);

        Assert.True(await AdvanceAsync(alice.Id, StartStep));
        Assert.True(await AdvanceAsync(bob.Id, StartStep));
        Assert.False(await AdvanceAsync(Guid.NewGuid(), StartStep + 1)); // no such user
    }

    [Fact]
    public async Task TryAdvanceTotpStepAsync_TwentyParallelCallsWithTheSameStep_AcceptExactlyOne()
    {
        var user = await NewTwoFactorUserAsync(StartStep - 10);

        var accepted = await database.InParallelAsync(20, (services, _) =>
            services.GetRequiredService<ISecondFactorStore>().TryAdvanceTotpStepAsync(user.Id, StartStep, CancellationToken.None));

        Assert.Equal(1, accepted.Count(a => a));
        Assert.Equal(StartStep, await StoredStepAsync(user.Id));
    }

    [Fact]
    public async Task TryAdvanceTotpStepAsync_ParallelCallsWithOlderAndNewerSteps_NeverMoveTheStepBack()
    {
        // Steps StartStep - 9 .. StartStep + 10 in parallel: whatever the order, the stored step
        // ends at the newest and each step is accepted at most once.
        var user = await NewTwoFactorUserAsync(StartStep - 10);

        var accepted = await database.InParallelAsync(20, (services, i) =>
            services.GetRequiredService<ISecondFactorStore>().TryAdvanceTotpStepAsync(user.Id, StartStep - 9 + i, CancellationToken.None));

        Assert.True(accepted[^1], "the newest step can never be refused");
        Assert.Equal(StartStep + 10, await StoredStepAsync(user.Id));
        Assert.False(await AdvanceAsync(user.Id, StartStep + 10));
    }

    [Fact]
    public async Task TryRedeemRecoveryCodeAsync_UnusedCode_IsRedeemedOnceAndStaysUsed()
    {
        var user = await NewTwoFactorUserAsync(StartStep);
        var code = user.RecoveryCodes.First();
        var firstUse = Start.AddMinutes(1);

        Assert.True(await RedeemAsync(code.Id, firstUse));
        Assert.False(await RedeemAsync(code.Id, firstUse.AddMinutes(1)));

        var stored = await StoredCodesAsync(user.Id);
        Assert.Equal(firstUse, stored[code.Id]); // the second attempt did not move the time either
        Assert.All(stored.Where(c => c.Key != code.Id), c => Assert.Null(c.Value));
    }

    [Fact]
    public async Task TryRedeemRecoveryCodeAsync_UnknownCode_IsRefused()
    {
        Assert.False(await RedeemAsync(Guid.NewGuid(), Start));
    }

    [Fact]
    public async Task TryRedeemRecoveryCodeAsync_TwentyParallelCallsWithTheSameCode_RedeemExactlyOnce()
    {
        var user = await NewTwoFactorUserAsync(StartStep);
        var code = user.RecoveryCodes.First();

        var redeemed = await database.InParallelAsync(20, (services, i) =>
            services.GetRequiredService<ISecondFactorStore>().TryRedeemRecoveryCodeAsync(code.Id, Start.AddSeconds(i), CancellationToken.None));

        Assert.Equal(1, redeemed.Count(r => r));
        var winner = Array.IndexOf(redeemed, true);
        var stored = await StoredCodesAsync(user.Id);
        Assert.Equal(Start.AddSeconds(winner), stored[code.Id]); // the time of the one that won
        Assert.All(stored.Where(c => c.Key != code.Id), c => Assert.Null(c.Value));
        Assert.False(await RedeemAsync(code.Id, Start.AddMinutes(5)));
    }
}

public sealed class SecondFactorStoreSqliteTests(SqliteDatabase database)
    : SecondFactorStoreTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class SecondFactorStorePostgresTests(PostgresDatabase database)
    : SecondFactorStoreTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
