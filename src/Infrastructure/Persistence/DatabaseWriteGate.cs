using System.Collections.Concurrent;
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
/// </summary>
public sealed class DatabaseWriteGate
{
    /// <summary>One gate per database file in this process (two hosts on one file share it).</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim? _gate;
    private readonly TimeSpan _timeout;

    private DatabaseWriteGate(SemaphoreSlim? gate, TimeSpan timeout)
    {
        _gate = gate;
        _timeout = timeout;
    }

    /// <summary>No gate: every <see cref="EnterAsync"/> returns at once.</summary>
    public static DatabaseWriteGate None { get; } = new(null, TimeSpan.Zero);

    /// <summary>The gate of the SQLite database <paramref name="databaseKey"/> (its full path), waited for at most <paramref name="timeout"/>.</summary>
    public static DatabaseWriteGate ForSqlite(string databaseKey, TimeSpan timeout) =>
        new(Gates.GetOrAdd(databaseKey, _ => new SemaphoreSlim(1, 1)), timeout);

    public bool IsEnabled => _gate is not null;

    /// <summary>Waits for the gate (FIFO enough: SemaphoreSlim serves its async waiters in order); dispose the result to leave it.</summary>
    /// <exception cref="TimeoutException">The gate stayed taken for longer than the command timeout.</exception>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_gate is null)
        {
            return Released.Instance;
        }

        if (!await _gate.WaitAsync(_timeout, cancellationToken))
        {
            throw new TimeoutException("The database is busy: another write held its write lock for longer than the command timeout.");
        }

        return new Holder(_gate);
    }

    /// <summary>
    /// Runs one write of <paramref name="db"/> that has no transaction of its own inside the gate.
    /// With a transaction open on the context, its opener holds the gate already and the write runs as is.
    /// </summary>
    public async Task<T> WriteAsync<T>(AuthDbContext db, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        if (_gate is null || db.Database.CurrentTransaction is not null)
        {
            return await write(cancellationToken);
        }

        using var held = await EnterAsync(cancellationToken);
        return await write(cancellationToken);
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
