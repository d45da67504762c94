using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// Group commit on SQLite (ADR 0017): a write through the gate commits without a flush of its own
/// and is answered only once a flush of the WAL covers it; connections go back to the pool with
/// <c>synchronous=FULL</c>, so a write that bypasses the gate still flushes at its commit. The
/// database runs with connection pooling on here, as in production (the other tests turn it off).
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private TestDatabase _database = null!;
    private AuthApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _factory = new AuthApiFactory(_database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = _database.ConnectionString.Replace("Pooling=False", "Pooling=True", StringComparison.Ordinal),
        });
        _factory.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AWrite_IsAnsweredOnlyAfterTheFlushOfTheWalThatCoversIt()
    {
        var gate = _factory.Services.GetRequiredService<DatabaseWriteGate>();
        Assert.True(gate.SyncsInBatches, "a SQLite file in WAL mode must commit in groups");

        using var flushing = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var paths = new List<string>();
        gate.EnableBatchedSync(path =>
        {
            lock (paths)
            {
                paths.Add(path);
            }

            flushing.Release();
            release.Wait(Patience);
            DatabaseWriteGate.WalSync.FlushToDisk(path);
        });

        var client = _factory.CreateClient();
        var email = $"durable-{Guid.NewGuid():N}@example.com";
        var register = client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = ApiTestBase<SqliteApiFixture>.Password, name = "Durable" });

        Assert.True(await flushing.WaitAsync(Patience), "the write never asked for a flush");
        await Task.Delay(300);
        Assert.False(register.IsCompleted, "the write was answered before the flush that makes it durable ended");

        release.Set();
        var response = await register.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        lock (paths)
        {
            Assert.All(paths, path => Assert.Equal(Path.GetFullPath(new SqliteConnectionStringBuilder(_database.ConnectionString).DataSource) + "-wal", path));
        }
    }

    [Fact]
    public async Task AfterABurstOfWritesAndFailedWrites_PooledConnectionsAreBackToFullSync()
    {
        var gate = _factory.Services.GetRequiredService<DatabaseWriteGate>();
        var before = gate.BatchedSyncs;
        var client = _factory.CreateClient();
        var emails = Enumerable.Range(0, 12).Select(i => $"burst-{i}-{Guid.NewGuid():N}@example.com").ToArray();

        // Every address twice: one registration commits, the other is refused (409) and rolls back.
        var answers = await Task.WhenAll(emails.Concat(emails).Select(email =>
            client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = ApiTestBase<SqliteApiFixture>.Password, name = "Burst" })));
        Assert.Equal(12, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(12, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.True(gate.BatchedSyncs > before, "the committed writes were never flushed");

        // Hold several pooled connections at once so that more than the most recent one is looked at.
        var scopes = Enumerable.Range(0, 6).Select(_ => _factory.Services.CreateAsyncScope()).ToList();
        try
        {
            foreach (var scope in scopes)
            {
                var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                await db.Database.OpenConnectionAsync();
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA synchronous;";
                Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!); // 2 = FULL
            }
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }
}
