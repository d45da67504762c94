using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// Session revocation at the database: <c>RefreshTokenFamilyRepository.RevokeAsync</c> and
/// <c>RevokeAllForUserAsync</c> are conditional updates (only families not yet revoked) that bump
/// the family's <c>Version</c> concurrency token, so the first revocation wins and a rotation read
/// before it can never be saved after it.
/// </summary>
public abstract class RefreshTokenFamilyRevocationTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SessionLifetimes Lifetimes = new(TimeSpan.FromDays(30), TimeSpan.FromDays(90));

    private async Task<Guid> NewUserAsync()
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create($"{Guid.NewGuid():N}@example.com"), "Alice", "stored-hash", "stamp", Start);
        await database.AddAsync(user);
        return user.Id;
    }

    /// <summary>A new session of <paramref name="userId"/>; its first refresh token hashes to the returned value.</summary>
    private async Task<(Guid FamilyId, string TokenHash)> NewFamilyAsync(Guid userId)
    {
        var tokenHash = $"hash-{Guid.NewGuid():N}";
        var family = RefreshTokenFamily.Start(Guid.NewGuid(), userId, tokenHash, ["profile"], ["pwd"], "203.0.113.9", "test-agent", Lifetimes, Start);
        await database.AddAsync(family);
        return (family.Id, tokenHash);
    }

    private async Task<bool> RevokeAsync(Guid familyId, string reason, DateTimeOffset now)
    {
        await using var scope = database.NewScope();
        return await scope.ServiceProvider.GetRequiredService<IRefreshTokenFamilyRepository>().RevokeAsync(familyId, reason, now, CancellationToken.None);
    }

    private async Task<int> RevokeAllAsync(Guid userId, Guid? exceptFamilyId, string reason, DateTimeOffset now)
    {
        await using var scope = database.NewScope();
        return await scope.ServiceProvider.GetRequiredService<IRefreshTokenFamilyRepository>()
            .RevokeAllForUserAsync(userId, exceptFamilyId, reason, now, CancellationToken.None);
    }

    private Task<StoredFamily> StoredAsync(Guid familyId) =>
        database.ReadAsync(db => db.RefreshTokenFamilies.Where(f => f.Id == familyId)
            .Select(f => new StoredFamily(f.RevokedAt, f.RevocationReason, f.Version))
            .SingleAsync());

    private Task<bool> TokenExistsAsync(string tokenHash) =>
        database.ReadAsync(db => db.RefreshTokens.AnyAsync(t => t.TokenHash == tokenHash));

    [Fact]
    public async Task HasSignedInFromAsync_CountsTheUsersOwnSessionsNotAnAppsGrant()
    {
        // An app's grant records the address of the app's server (it called the token endpoint):
        // that address must not become one the person "signed in from", which the account-wide
        // lockout spares (ADR 0012).
        var userId = await NewUserAsync();
        var app = RefreshTokenFamily.Start(
            Guid.NewGuid(), userId, $"hash-{Guid.NewGuid():N}", ["openid"], ["pwd"], "198.51.100.7", "app-server", Lifetimes, Start, clientId: "oc_app");
        await database.AddAsync(app);
        await NewFamilyAsync(userId); // the person's own session, from 203.0.113.9

        await using var scope = database.NewScope();
        var families = scope.ServiceProvider.GetRequiredService<IRefreshTokenFamilyRepository>();
        Assert.False(await families.HasSignedInFromAsync(userId, "198.51.100.7", CancellationToken.None));
        Assert.True(await families.HasSignedInFromAsync(userId, "203.0.113.9", CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAsync_ActiveFamily_StoresReasonAndTimeAndBumpsTheVersion()
    {
        var (familyId, _) = await NewFamilyAsync(await NewUserAsync());
        var before = await StoredAsync(familyId);
        var at = Start.AddMinutes(3);

        Assert.True(await RevokeAsync(familyId, RevocationReasons.Logout, at));

        Assert.Equal(new StoredFamily(at, RevocationReasons.Logout, before.Version + 1), await StoredAsync(familyId));
    }

    [Fact]
    public async Task RevokeAsync_AlreadyRevokedFamily_ReturnsFalseAndKeepsTheFirstReasonTimeAndVersion()
    {
        var (familyId, _) = await NewFamilyAsync(await NewUserAsync());
        await RevokeAsync(familyId, RevocationReasons.Logout, Start.AddMinutes(1));
        var first = await StoredAsync(familyId);

        Assert.False(await RevokeAsync(familyId, RevocationReasons.RevokedByUser, Start.AddMinutes(2)));

        Assert.Equal(first, await StoredAsync(familyId));
        Assert.Equal(new StoredFamily(Start.AddMinutes(1), RevocationReasons.Logout, first.Version), first);
    }

    [Fact]
    public async Task RevokeAsync_UnknownFamily_ReturnsFalse()
    {
        Assert.False(await RevokeAsync(Guid.NewGuid(), RevocationReasons.Logout, Start));
    }

    [Fact]
    public async Task RevokeAsync_TwentyInParallel_ExactlyOneWinsAndItsReasonAndTimeAreKept()
    {
        var (familyId, _) = await NewFamilyAsync(await NewUserAsync());
        var before = await StoredAsync(familyId);

        var revoked = await database.InParallelAsync(20, (services, i) =>
            services.GetRequiredService<IRefreshTokenFamilyRepository>().RevokeAsync(familyId, $"reason-{i}", Start.AddSeconds(i), CancellationToken.None));

        Assert.Equal(1, revoked.Count(r => r));
        var winner = Array.IndexOf(revoked, true);
        Assert.Equal(new StoredFamily(Start.AddSeconds(winner), $"reason-{winner}", before.Version + 1), await StoredAsync(familyId));
    }

    [Fact]
    public async Task RevokeAllForUserAsync_WithAnExceptedFamily_SparesItAndTheAlreadyRevokedOnes()
    {
        var userId = await NewUserAsync();
        var (kept, _) = await NewFamilyAsync(userId);
        var (earlier, _) = await NewFamilyAsync(userId);
        var (second, _) = await NewFamilyAsync(userId);
        var (third, _) = await NewFamilyAsync(userId);
        var (someoneElses, _) = await NewFamilyAsync(await NewUserAsync());
        await RevokeAsync(earlier, RevocationReasons.Logout, Start.AddMinutes(1));
        var before = new Dictionary<Guid, StoredFamily>();
        foreach (var id in new[] { kept, earlier, second, third, someoneElses })
        {
            before[id] = await StoredAsync(id);
        }

        var at = Start.AddMinutes(2);
        var count = await RevokeAllAsync(userId, kept, RevocationReasons.PasswordChanged, at);

        Assert.Equal(2, count);
        Assert.Equal(before[kept], await StoredAsync(kept));
        Assert.Null(before[kept].RevokedAt);
        Assert.Equal(before[earlier], await StoredAsync(earlier)); // still the logout, at its own time
        Assert.Equal(new StoredFamily(at, RevocationReasons.PasswordChanged, before[second].Version + 1), await StoredAsync(second));
        Assert.Equal(new StoredFamily(at, RevocationReasons.PasswordChanged, before[third].Version + 1), await StoredAsync(third));
        Assert.Equal(before[someoneElses], await StoredAsync(someoneElses));
    }

    [Fact]
    public async Task RevokeAllForUserAsync_WithoutAnExceptedFamily_RevokesEveryActiveFamilyOfThatUserOnly()
    {
        var userId = await NewUserAsync();
        var (first, _) = await NewFamilyAsync(userId);
        var (second, _) = await NewFamilyAsync(userId);
        var (someoneElses, _) = await NewFamilyAsync(await NewUserAsync());

        var count = await RevokeAllAsync(userId, null, RevocationReasons.PasswordChanged, Start.AddMinutes(2));

        Assert.Equal(2, count);
        Assert.Equal(RevocationReasons.PasswordChanged, (await StoredAsync(first)).RevocationReason);
        Assert.Equal(RevocationReasons.PasswordChanged, (await StoredAsync(second)).RevocationReason);
        Assert.Null((await StoredAsync(someoneElses)).RevokedAt);
        Assert.Equal(0, await RevokeAllAsync(userId, null, RevocationReasons.PasswordChanged, Start.AddMinutes(3)));
    }

    [Fact]
    public async Task RevokeAllForUserAsync_TwentyInParallel_RevokeEachFamilyExactlyOnce()
    {
        var userId = await NewUserAsync();
        var families = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            families.Add((await NewFamilyAsync(userId)).FamilyId);
        }

        var before = await StoredAsync(families[0]);

        var counts = await database.InParallelAsync(20, (services, i) =>
            services.GetRequiredService<IRefreshTokenFamilyRepository>()
                .RevokeAllForUserAsync(userId, null, RevocationReasons.PasswordChanged, Start.AddSeconds(i), CancellationToken.None));

        Assert.Equal(families.Count, counts.Sum());
        foreach (var id in families)
        {
            var stored = await StoredAsync(id);
            Assert.NotNull(stored.RevokedAt);
            Assert.Equal(before.Version + 1, stored.Version); // bumped once: revoked by one call only
        }
    }

    [Fact]
    public async Task SaveChangesAsync_RotationReadBeforeARevokeAsync_ThrowsConcurrencyAndTheFamilyStaysRevoked()
    {
        var (familyId, tokenHash) = await NewFamilyAsync(await NewUserAsync());
        await using var refresh = database.NewScope();
        var db = refresh.ServiceProvider.GetRequiredService<AuthDbContext>();
        var family = await refresh.ServiceProvider.GetRequiredService<IRefreshTokenFamilyRepository>().FindByTokenHashAsync(tokenHash, CancellationToken.None);
        Assert.NotNull(family);
        var newHash = $"hash-{Guid.NewGuid():N}";
        Assert.Equal(RotationOutcome.Rotated, family.Rotate(tokenHash, newHash, Lifetimes, Start.AddMinutes(1)));

        // The logout lands between the refresh's read and its save.
        Assert.True(await RevokeAsync(familyId, RevocationReasons.Logout, Start.AddMinutes(1)));
        var revoked = await StoredAsync(familyId);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());

        Assert.Equal(revoked, await StoredAsync(familyId));
        Assert.Equal(RevocationReasons.Logout, revoked.RevocationReason);
        Assert.False(await TokenExistsAsync(newHash)); // no successor token was issued
    }

    [Fact]
    public async Task SaveChangesAsync_RotationReadBeforeARevokeAllForUserAsync_ThrowsConcurrencyAndTheFamilyStaysRevoked()
    {
        var userId = await NewUserAsync();
        var (familyId, tokenHash) = await NewFamilyAsync(userId);
        await using var refresh = database.NewScope();
        var db = refresh.ServiceProvider.GetRequiredService<AuthDbContext>();
        var family = await refresh.ServiceProvider.GetRequiredService<IRefreshTokenFamilyRepository>().FindByTokenHashAsync(tokenHash, CancellationToken.None);
        Assert.NotNull(family);
        var newHash = $"hash-{Guid.NewGuid():N}";
        Assert.Equal(RotationOutcome.Rotated, family.Rotate(tokenHash, newHash, Lifetimes, Start.AddMinutes(1)));

        // A password change elsewhere revokes every other session meanwhile.
        Assert.Equal(1, await RevokeAllAsync(userId, Guid.NewGuid(), RevocationReasons.PasswordChanged, Start.AddMinutes(1)));
        var revoked = await StoredAsync(familyId);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());

        Assert.Equal(revoked, await StoredAsync(familyId));
        Assert.Equal(RevocationReasons.PasswordChanged, revoked.RevocationReason);
        Assert.False(await TokenExistsAsync(newHash));
    }

    [Fact]
    public async Task RevokeAsync_AfterARotationWasSaved_StillRevokes()
    {
        var (familyId, tokenHash) = await NewFamilyAsync(await NewUserAsync());
        await using (var refresh = database.NewScope())
        {
            var family = await refresh.ServiceProvider.GetRequiredService<IRefreshTokenFamilyRepository>().FindByTokenHashAsync(tokenHash, CancellationToken.None);
            Assert.NotNull(family);
            Assert.Equal(RotationOutcome.Rotated, family.Rotate(tokenHash, $"hash-{Guid.NewGuid():N}", Lifetimes, Start.AddMinutes(1)));
            await refresh.ServiceProvider.GetRequiredService<AuthDbContext>().SaveChangesAsync();
        }

        var rotated = await StoredAsync(familyId);

        Assert.True(await RevokeAsync(familyId, RevocationReasons.Logout, Start.AddMinutes(2)));
        Assert.Equal(new StoredFamily(Start.AddMinutes(2), RevocationReasons.Logout, rotated.Version + 1), await StoredAsync(familyId));
    }

    private sealed record StoredFamily(DateTimeOffset? RevokedAt, string? RevocationReason, int Version);
}

public sealed class RefreshTokenFamilyRevocationSqliteTests(SqliteDatabase database)
    : RefreshTokenFamilyRevocationTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class RefreshTokenFamilyRevocationPostgresTests(PostgresDatabase database)
    : RefreshTokenFamilyRevocationTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
