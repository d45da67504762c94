// Longer than 150 lines because the gate, the write session it hands out and the batched sync are one lifecycle.
using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>
/// SQLite has one write lock for the whole database, and Microsoft.Data.Sqlite waits for a busy
/// lock by sleeping (a blocked thread, about 150 ms a try) until the command timeout: under
/// parallel writes most of the time goes to sleeping, and a writer can lose every try and fail.
/// The gate queues this process's writers in memory instead (first come, first served, no
/// sleeps): a write transaction (<see cref="UnitOfWork"/>) or a lone write statement enters the
/// gate before it asks SQLite for the lock and leaves it when it commits or rolls back. Waiting
/// for the gate is bounded by <c>Database:CommandTimeoutSeconds</c>, past which it throws a
/// <see cref="TimeoutException"/> (answered 503, <see cref="DatabaseFaults"/>). Another process
/// on the same file still meets SQLite's own lock wait. On PostgreSQL and SQL Server the gate is
/// <see cref="None"/>: their writers lock rows, not the database. ADR 0015.
/// <para>
/// Group commit (ADR 0017): once <see cref="EnableBatchedSync"/> confirmed WAL mode, a write made
/// through the gate commits with <c>PRAGMA synchronous=NORMAL</c> (the WAL is appended, not
/// flushed, so the gate is held for microseconds, not for a disk flush) and is made durable after
/// the gate is left by one flush of the WAL file that covers every commit made before it started
/// (<see cref="WalSync"/>); the writer's caller answers only then. The connection goes back to the
/// pool with <c>synchronous=FULL</c>, so a write that does not pass the gate still flushes at its
/// own commit.
/// </para>
/// </summary>
public sealed class DatabaseWriteGate
{
    /// <summary>One gate per database file in this process (two hosts on one file share it).</summary>
    private static readonly ConcurrentDictionary<string, DatabaseFile> Files = new(StringComparer.Ordinal);

    private readonly DatabaseFile? _file;
    private readonly TimeSpan _timeout;

    private DatabaseWriteGate(DatabaseFile? file, TimeSpan timeout)
    {
        _file = file;
        _timeout = timeout;
    }

    /// <summary>No gate: every <see cref="EnterAsync(CancellationToken)"/> returns at once.</summary>
    public static DatabaseWriteGate None { get; } = new(null, TimeSpan.Zero);

    /// <summary>The gate of the SQLite database <paramref name="databaseKey"/> (its full path), waited for at most <paramref name="timeout"/>.</summary>
    public static DatabaseWriteGate ForSqlite(string databaseKey, TimeSpan timeout) =>
        new(Files.GetOrAdd(databaseKey, key => new DatabaseFile(key)), timeout);

    public bool IsEnabled => _file is not null;

    /// <summary>Whether writes through the gate commit without a flush each and are flushed in groups (<see cref="EnableBatchedSync"/>).</summary>
    public bool SyncsInBatches => _file?.Sync is not null;

    /// <summary>How many flushes of the WAL the group commit made (for tests and diagnostics).</summary>
    public long BatchedSyncs => _file?.Sync?.Flushes ?? 0;

    /// <summary>
    /// Turns group commit on for this database file: called once SQLite answered that the database
    /// is in WAL mode (with another journal, <c>synchronous=NORMAL</c> would risk the file itself).
    /// <paramref name="flush"/> replaces how the WAL file (its path given) is flushed, an fsync by
    /// default; tests pass one to watch or hold the flush.
    /// </summary>
    public void EnableBatchedSync(Action<string>? flush = null)
    {
        if (_file is not null && (flush is not null || _file.Sync is null))
        {
            _file.Sync = new WalSync(_file.Key + "-wal", flush);
        }
    }

    /// <summary>Waits for the gate (FIFO enough: SemaphoreSlim serves its async waiters in order); dispose the result to leave it.</summary>
    /// <exception cref="TimeoutException">The gate stayed taken for longer than the command timeout.</exception>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            return Released.Instance;
        }

        if (!await _file.Lock.WaitAsync(_timeout, cancellationToken))
        {
            throw new TimeoutException("The database is busy: another write held its write lock for longer than the command timeout.");
        }

        return new Holder(_file.Lock);
    }

    /// <summary>
    /// Enters the gate for the writes of <paramref name="db"/>. With group commit, its connection is
    /// opened and set to <c>synchronous=NORMAL</c> first (neither takes a lock, so neither is done
    /// while other writers wait) and kept open until the session is left.
    /// </summary>
    public async ValueTask<WriteSession> BeginWritesAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        if (_file?.Sync is not { } sync)
        {
            return new WriteSession(await EnterAsync(cancellationToken), null, null);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var session = new WriteSession(null, db, sync);
        try
        {
            await session.SetSynchronousAsync("NORMAL", cancellationToken);
            session.Entered(await EnterAsync(cancellationToken));
        }
        catch
        {
            await session.LeaveAsync();
            throw;
        }

        return session;
    }

    /// <summary>
    /// Runs one write of <paramref name="db"/> that has no transaction of its own inside the gate,
    /// and with group commit waits until it is durable. With a transaction open on the context, its
    /// opener holds the gate already and the write runs as is.
    /// </summary>
    public async Task<T> WriteAsync<T>(AuthDbContext db, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        if (_file is null || db.Database.CurrentTransaction is not null)
        {
            return await write(cancellationToken);
        }

        var session = await BeginWritesAsync(db, cancellationToken);
        T result;
        try
        {
            result = await write(cancellationToken);
        }
        catch
        {
            await session.LeaveAsync();
            throw;
        }

        await session.LeaveAsync();
        await session.WhenDurableAsync();
        return result;
    }

    /// <summary>
    /// The writes of one context inside the gate. <see cref="LeaveAsync"/> (after the commit or the
    /// rollback) puts the connection back to <c>synchronous=FULL</c> and leaves the gate; after a
    /// commit, <see cref="WhenDurableAsync"/> waits for the flush that covers it.
    /// </summary>
    public sealed class WriteSession
    {
        private readonly AuthDbContext? _db;
        private readonly WalSync? _sync;
        private IDisposable? _held;
        private bool _open;

        internal WriteSession(IDisposable? held, AuthDbContext? db, WalSync? sync)
        {
            _held = held;
            _db = db;
            _sync = sync;
            _open = db is not null;
        }

        internal void Entered(IDisposable held) => _held = held;

        internal async Task SetSynchronousAsync(string level, CancellationToken cancellationToken)
        {
            await using var command = _db!.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"PRAGMA synchronous={level};";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        /// <summary>Leaves the gate, then restores <c>synchronous=FULL</c> and closes what was opened; safe to call twice.</summary>
        public async Task LeaveAsync()
        {
            Interlocked.Exchange(ref _held, null)?.Dispose();
            if (!_open)
            {
                return;
            }

            _open = false;
            try
            {
                await SetSynchronousAsync("FULL", CancellationToken.None);
            }
            catch (DbException)
            {
                ForgetConnection();
            }

            await _db!.Database.CloseConnectionAsync();
        }

        /// <summary>As <see cref="LeaveAsync"/>, for a scope disposed synchronously.</summary>
        public void Leave()
        {
            Interlocked.Exchange(ref _held, null)?.Dispose();
            if (!_open)
            {
                return;
            }

            _open = false;
            try
            {
                using var command = _db!.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA synchronous=FULL;";
                command.ExecuteNonQuery();
            }
            catch (DbException)
            {
                ForgetConnection();
            }

            _db!.Database.CloseConnection();
        }

        /// <summary>Completes once the writes committed in this session are on disk (at once without group commit).</summary>
        public Task WhenDurableAsync() => _sync?.WhenDurableAsync() ?? Task.CompletedTask;

        /// <summary>A connection whose setting could not be restored is not given back to the pool.</summary>
        private void ForgetConnection()
        {
            if (_db!.Database.GetDbConnection() is SqliteConnection connection)
            {
                SqliteConnection.ClearPool(connection);
            }
        }
    }

    /// <summary>
    /// Group commit for one WAL file: a writer that committed asks to be made durable; one flush
    /// (fsync) of the WAL runs at a time and covers every writer that asked before it started, so
    /// the writers that commit during a flush share the next one.
    /// </summary>
    public sealed class WalSync(string walPath, Action<string>? flush = null)
    {
        private readonly Action<string> _flush = flush ?? FlushToDisk;
        private readonly Lock _lock = new();
        private TaskCompletionSource? _pending;
        private bool _flushing;
        private long _flushes;

        public long Flushes => Interlocked.Read(ref _flushes);

        /// <summary>Completes after a flush that started after this call (so it covers every commit made before it).</summary>
        public Task WhenDurableAsync()
        {
            TaskCompletionSource waiter;
            bool start;
            lock (_lock)
            {
                waiter = _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                start = !_flushing;
                _flushing = true;
            }

            if (start)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static sync => sync.FlushWhilePending(), this, preferLocal: false);
            }

            return waiter.Task;
        }

        private void FlushWhilePending()
        {
            while (true)
            {
                TaskCompletionSource batch;
                lock (_lock)
                {
                    if (_pending is null)
                    {
                        _flushing = false;
                        return;
                    }

                    batch = _pending;
                    _pending = null;
                }

                try
                {
                    _flush(walPath);
                    Interlocked.Increment(ref _flushes);
                    batch.SetResult();
                }
                catch (Exception e)
                {
                    batch.SetException(e);
                }
            }
        }

        /// <summary>
        /// fsync of the WAL file. No WAL file means nothing is waiting in one: a checkpoint flushed
        /// the WAL before it copied the pages and the database after, and then the WAL was removed.
        /// </summary>
        public static void FlushToDisk(string path)
        {
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                RandomAccess.FlushToDisk(handle);
            }
            catch (FileNotFoundException)
            {
            }
        }
    }

    private sealed class DatabaseFile(string key)
    {
        public string Key { get; } = key;

        public SemaphoreSlim Lock { get; } = new(1, 1);

        public WalSync? Sync { get; set; }
    }

    private sealed class Holder(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }

    private sealed class Released : IDisposable
    {
        public static readonly Released Instance = new();

        public void Dispose()
        {
        }
    }
}
