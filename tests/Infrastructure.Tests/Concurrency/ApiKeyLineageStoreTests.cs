// Longer than 150 lines because the two orders of the creation/revocation race each need two transactions held open by hand.
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// The store's side of "a key created with a key is revoked with it" (<c>ApiKeyRepository</c>):
/// <c>HoldIfActiveAsync</c> write-locks the creating key's row until the creation commits, so a
/// revocation or deletion racing the creation either waits for it (and then finds the new key
/// among <c>ListCreatedByAsync</c>) or commits first (and the hold answers false). On SQLite the
/// one-writer lock already orders them; on PostgreSQL the row lock does.
/// </summary>
public abstract class ApiKeyLineageStoreTests<TDatabase>(TDatabase database)
    where TDatabase : MigratedDatabase
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(700);

    private async Task<Guid> NewUserAsync()
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create($"{Guid.NewGuid():N}@example.com"), "Alice", "stored-hash", "stamp", Start);
        await database.AddAsync(user);
        return user.Id;
    }

    private static ApiKey NewKey(Guid ownerId, ApiKey? createdBy = null, DateTimeOffset? expiresAt = null) =>
        ApiKey.Issue(Guid.NewGuid(), ownerId, "key", "ap_AbCdEfGh", $"hash-{Guid.NewGuid():N}", ScopeSet.Parse("profile"), expiresAt, Start, createdBy);

    private async Task<ApiKey> StoredKeyAsync(Guid ownerId, ApiKey? createdBy = null, DateTimeOffset? expiresAt = null)
    {
        var key = NewKey(ownerId, createdBy, expiresAt);
        await database.AddAsync(key);
        return key;
    }

    private static IApiKeyRepository Keys(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<IApiKeyRepository>();

    private static AuthDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<AuthDbContext>();

    private async Task<bool> HoldAsync(Guid id, DateTimeOffset now)
    {
        await using var scope = database.NewScope();
        return await Keys(scope).HoldIfActiveAsync(id, now, CancellationToken.None);
    }

    /// <summary>
    /// Gives the other transaction time to run its write: it signals just before it (on SQLite it
    /// never gets there, as BEGIN IMMEDIATE already waits for the writer), and that write and what
    /// follows take far less than <see cref="Blocked"/> unless a lock holds them.
    /// </summary>
    private static async Task WaitUntilBlockedAsync(Task aboutToWrite)
    {
        await Task.WhenAny(aboutToWrite, Task.Delay(Blocked));
        await Task.Delay(Blocked);
    }

    private Task<(DateTimeOffset? RevokedAt, int Version)> StoredAsync(Guid id) =>
        database.ReadAsync(db => db.ApiKeys.Where(k => k.Id == id).Select(k => new ValueTuple<DateTimeOffset?, int>(k.RevokedAt, k.Version)).SingleAsync());

    [Fact]
    public async Task HoldIfActiveAsync_ActiveKey_ReturnsTrueAndChangesNothing()
    {
        var key = await StoredKeyAsync(await NewUserAsync(), expiresAt: Start.AddHours(1));

        Assert.True(await HoldAsync(key.Id, Start.AddMinutes(59)));

        Assert.Equal((null, 0), await StoredAsync(key.Id));
    }

    [Fact]
    public async Task HoldIfActiveAsync_RevokedExpiredOrUnknownKey_ReturnsFalse()
    {
        var owner = await NewUserAsync();
        var revoked = NewKey(owner);
        revoked.Revoke(Start, owner);
        await database.AddAsync(revoked);
        var expiring = await StoredKeyAsync(owner, expiresAt: Start.AddHours(1));

        Assert.False(await HoldAsync(revoked.Id, Start));
        Assert.False(await HoldAsync(expiring.Id, Start.AddHours(1)));
        Assert.False(await HoldAsync(Guid.NewGuid(), Start));
        Assert.Equal((Start, 1), await StoredAsync(revoked.Id));
    }

    [Fact]
    public async Task ListCreatedByAsync_SomeCreators_ReturnsTheirDirectChildrenRevokedOnesToo()
    {
        var owner = await NewUserAsync();
        var parent = await StoredKeyAsync(owner);
        var other = await StoredKeyAsync(owner);
        var child = await StoredKeyAsync(owner, parent);
        var revokedChild = NewKey(owner, parent);
        revokedChild.Revoke(Start, owner);
        await database.AddAsync(revokedChild);
        var grandchild = await StoredKeyAsync(owner, child);
        var othersChild = await StoredKeyAsync(owner, other);

        await using var scope = database.NewScope();
        var ofParent = await Keys(scope).ListCreatedByAsync([parent.Id], CancellationToken.None);
        var ofBoth = await Keys(scope).ListCreatedByAsync([child.Id, other.Id], CancellationToken.None);

        Assert.Equal(new[] { child.Id, revokedChild.Id }.Order(), ofParent.Select(k => k.Id).Order());
        Assert.Equal(new[] { grandchild.Id, othersChild.Id }.Order(), ofBoth.Select(k => k.Id).Order());
        Assert.Empty(await Keys(scope).ListCreatedByAsync([grandchild.Id], CancellationToken.None));
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("delete")]
    public async Task RevocationDuringACreationHoldingTheCreator_WaitsForItsCommitAndThenFindsTheNewKey(string change)
    {
        var owner = await NewUserAsync();
        var parent = await StoredKeyAsync(owner);

        // The creation: holds the creator and inserts its key, not committed yet.
        await using var creation = database.NewScope();
        await using var creating = await Db(creation).Database.BeginTransactionAsync();
        Assert.True(await Keys(creation).HoldIfActiveAsync(parent.Id, Start, CancellationToken.None));
        var creator = await Keys(creation).FindByIdAsync(parent.Id, CancellationToken.None);
        var child = NewKey(owner, creator);
        Keys(creation).Add(child);
        await Db(creation).SaveChangesAsync();

        // The revocation, as ApiKeyLineage runs it: change the creator, save, then read its keys.
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var revocation = Task.Run(async () =>
        {
            await using var scope = database.NewScope();
            await using var transaction = await Db(scope).Database.BeginTransactionAsync();
            var key = await Keys(scope).FindByIdAsync(parent.Id, CancellationToken.None);
            writing.SetResult();
            if (change == "revoke")
            {
                key!.Revoke(Start, owner);
            }
            else
            {
                Keys(scope).Remove(key!);
            }

            await Db(scope).SaveChangesAsync();
            var found = await Keys(scope).ListCreatedByAsync([parent.Id], CancellationToken.None);
            await transaction.CommitAsync();
            return found.Select(k => k.Id).ToList();
        });

        await WaitUntilBlockedAsync(writing.Task);
        Assert.False(revocation.IsCompleted, "The revocation went ahead while a creation held its key.");
        await creating.CommitAsync();

        Assert.Equal([child.Id], await revocation.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task CreationDuringAnUncommittedRevocation_WaitsForItAndThenIsRefused()
    {
        var owner = await NewUserAsync();
        var parent = await StoredKeyAsync(owner);

        await using var revocation = database.NewScope();
        await using var revoking = await Db(revocation).Database.BeginTransactionAsync();
        var key = await Keys(revocation).FindByIdAsync(parent.Id, CancellationToken.None);
        key!.Revoke(Start, owner);
        await Db(revocation).SaveChangesAsync();

        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = Task.Run(async () =>
        {
            await using var scope = database.NewScope();
            await using var transaction = await Db(scope).Database.BeginTransactionAsync();
            writing.SetResult();
            var held = await Keys(scope).HoldIfActiveAsync(parent.Id, Start, CancellationToken.None);
            await transaction.CommitAsync();
            return held;
        });

        await WaitUntilBlockedAsync(writing.Task);
        Assert.False(hold.IsCompleted, "The hold answered before the revocation committed.");
        await revoking.CommitAsync();

        Assert.False(await hold.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}

public sealed class ApiKeyLineageStoreSqliteTests(SqliteDatabase database)
    : ApiKeyLineageStoreTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class ApiKeyLineageStorePostgresTests(PostgresDatabase database)
    : ApiKeyLineageStoreTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
