using AuthPlatform.Infrastructure.Persistence;

namespace AuthPlatform.Infrastructure.Tests.Concurrency;

/// <summary>
/// Group commit (ADR 0017): a writer that committed is answered only after a flush of the WAL that
/// started after it asked, and the writers that ask while a flush runs share the next one.
/// </summary>
public sealed class WalSyncTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AWaiter_CompletesOnlyAfterAFlushThatStartedAfterItAsked()
    {
        using var flush = new HeldFlush();
        var sync = new DatabaseWriteGate.WalSync("/data/auth.db-wal", flush.Run);

        var first = sync.WhenDurableAsync();
        Assert.True(flush.Started.Wait(Patience), "the first flush never started");

        // Asked while the first flush runs: that flush may have started before this commit, so it does not count.
        var second = sync.WhenDurableAsync();
        flush.ReleaseOne();
        await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted, "a waiter was released by a flush that started before it asked");

        flush.ReleaseAll();
        await second.WaitAsync(Patience);
        Assert.Equal(2, sync.Flushes);
        Assert.All(flush.Paths, path => Assert.Equal("/data/auth.db-wal", path));
    }

    [Fact]
    public async Task WaitersDuringAFlush_ShareTheNextFlush()
    {
        using var flush = new HeldFlush();
        var sync = new DatabaseWriteGate.WalSync("auth.db-wal", flush.Run);
        var first = sync.WhenDurableAsync();
        Assert.True(flush.Started.Wait(Patience), "the first flush never started");

        var waiting = new Task[50];
        Parallel.For(0, waiting.Length, i => waiting[i] = sync.WhenDurableAsync());
        Assert.DoesNotContain(waiting, w => w.IsCompleted);
        flush.ReleaseAll();
        await Task.WhenAll(waiting.Append(first)).WaitAsync(Patience);

        // One flush for the first writer, one for the fifty that asked while it ran.
        Assert.Equal(2, sync.Flushes);
    }

    [Fact]
    public async Task AFailedFlush_FailsItsWaiters_AndLaterWaitersGetAFlushOfTheirOwn()
    {
        var calls = 0;
        var sync = new DatabaseWriteGate.WalSync("auth.db-wal", _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new IOException("disk full");
            }
        });

        var failed = await Assert.ThrowsAsync<IOException>(() => sync.WhenDurableAsync().WaitAsync(Patience));
        Assert.Equal("disk full", failed.Message);

        await sync.WhenDurableAsync().WaitAsync(Patience);
        Assert.Equal(2, calls);
        Assert.Equal(1, sync.Flushes);
    }

    [Fact]
    public void FlushToDisk_OfAMissingWal_IsNothingToDo_AndOfAnExistingFileSucceeds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"walsync-{Guid.NewGuid():N}.db-wal");
        DatabaseWriteGate.WalSync.FlushToDisk(path);
        Assert.False(File.Exists(path), "flushing must not create the WAL");

        File.WriteAllText(path, "frames");
        try
        {
            DatabaseWriteGate.WalSync.FlushToDisk(path);
            Assert.Equal("frames", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A flush that waits until the test lets it finish.</summary>
    private sealed class HeldFlush : IDisposable
    {
        private readonly SemaphoreSlim _release = new(0);
        private volatile bool _releaseAll;

        public ManualResetEventSlim Started { get; } = new();

        public List<string> Paths { get; } = [];

        public void Run(string path)
        {
            lock (Paths)
            {
                Paths.Add(path);
            }

            Started.Set();
            if (!_releaseAll && !_release.Wait(Patience))
            {
                throw new TimeoutException("the test never released the flush");
            }
        }

        public void ReleaseOne() => _release.Release();

        public void ReleaseAll()
        {
            _releaseAll = true;
            _release.Release(100);
        }

        public void Dispose()
        {
            Started.Dispose();
            _release.Dispose();
        }
    }
}
