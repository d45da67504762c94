// Longer than 150 lines because the transaction, the domain-event dispatch and the after-commit queue are one lifecycle.
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>
/// One transaction per command over the scoped <see cref="AuthDbContext"/>. Saving first
/// dispatches the domain events that the tracked aggregates raised (and those raised without an
/// aggregate), so what their handlers write (audit rows) is saved in the same SaveChanges; work
/// that must wait for the commit is queued with <see cref="Enqueue"/>.
/// On SQLite a transaction is opened only after entering the <see cref="DatabaseWriteGate"/>, which
/// is left when it commits or rolls back (ADR 0015).
/// </summary>
public sealed class UnitOfWork(AuthDbContext db, IServiceProvider services, DatabaseWriteGate gate) : IUnitOfWork, IAfterCommit, IDomainEvents, IAsyncDisposable, IDisposable
{
    /// <summary>A handler that raises events while handling events: past this depth it is a loop.</summary>
    private const int MaxDispatchRounds = 8;

    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];
    private readonly List<IDomainEvent> _raised = [];
    private IDbContextTransaction? _transaction;
    private DatabaseWriteGate.WriteSession? _writes;

    public async Task<IAsyncDisposable> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            return NoOp.Instance;
        }

        // On SQLite this is BEGIN IMMEDIATE: writers queue at the start (at the gate) instead of failing mid-way.
        await OpenTransactionAsync(cancellationToken);
        return new Scope(this);
    }

    public IAsyncDisposable DeferTransaction() => _transaction is null ? new Scope(this) : NoOp.Instance;

    public async Task StartWritesAsync(CancellationToken cancellationToken)
    {
        // On SQLite this is BEGIN IMMEDIATE: the write lock is held from here to the commit. The
        // events raised so far are handled first, so that their handlers' work (audit rows,
        // after-commit work) is not done while every other writer waits.
        if (_transaction is null)
        {
            await DispatchDomainEventsAsync(cancellationToken);
            await OpenTransactionAsync(cancellationToken);
        }
    }

    private async Task OpenTransactionAsync(CancellationToken cancellationToken)
    {
        _writes = await gate.BeginWritesAsync(db, cancellationToken);
        try
        {
            _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        }
        catch
        {
            await LeaveGateAsync();
            throw;
        }
    }

    /// <summary>Leaves the gate; returns the session left, whose commit may still wait for its flush (group commit, ADR 0017).</summary>
    private async Task<DatabaseWriteGate.WriteSession?> LeaveGateAsync()
    {
        var writes = Interlocked.Exchange(ref _writes, null);
        if (writes is not null)
        {
            await writes.LeaveAsync();
        }

        return writes;
    }

    private void LeaveGate() => Interlocked.Exchange(ref _writes, null)?.Leave();

    public void Raise(IDomainEvent domainEvent) => _raised.Add(domainEvent);

    public bool HasPendingChanges =>
        _raised.Count > 0
        || db.ChangeTracker.Entries<AggregateRoot>().Any(e => e.Entity.DomainEvents.Count > 0)
        || db.ChangeTracker.HasChanges();

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        await DispatchDomainEventsAsync(cancellationToken);
        try
        {
            // Without a transaction, SaveChanges is a write transaction of its own: it too waits at the gate.
            await gate.WriteAsync(db, db.SaveChangesAsync, cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw new ConcurrencyConflictException("Another request changed the same record first.", e);
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            throw new DuplicateKeyException("A record with the same unique value already exists.", e);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
            await _transaction.DisposeAsync();
            _transaction = null;

            // Durable before anything else happens or is answered; the next writer already has the gate.
            if (await LeaveGateAsync() is { } committed)
            {
                await committed.WhenDurableAsync();
            }
        }

        // Without a transaction the changes were committed by SaveChanges itself.
        foreach (var action in _afterCommit)
        {
            await action(cancellationToken);
        }

        _afterCommit.Clear();
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        _afterCommit.Clear();
        if (_transaction is null)
        {
            return;
        }

        try
        {
            await _transaction.RollbackAsync(cancellationToken);
            await _transaction.DisposeAsync();
        }
        finally
        {
            _transaction = null;
            await LeaveGateAsync();
        }
    }

    /// <summary>Forgets tracked changes, the events not yet dispatched and the work queued for after a commit of them.</summary>
    public void DiscardChanges()
    {
        _raised.Clear();
        _afterCommit.Clear();
        db.ChangeTracker.Clear();
    }

    private async Task DispatchDomainEventsAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            var events = _raised.ToList();
            _raised.Clear();
            foreach (var entry in db.ChangeTracker.Entries<AggregateRoot>())
            {
                events.AddRange(entry.Entity.DequeueDomainEvents());
            }

            if (events.Count == 0)
            {
                return;
            }

            if (round == MaxDispatchRounds)
            {
                throw new InvalidOperationException("Domain event handlers keep raising events: a handler loop.");
            }

            // Resolved here, not in the constructor: the handlers depend on this unit of work.
            var publisher = services.GetRequiredService<IPublisher>();
            foreach (var domainEvent in events)
            {
                await publisher.Publish(new DomainEventNotification(domainEvent), cancellationToken);
            }
        }
    }

    public void Enqueue(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    /// <summary>The end of the request's scope: a transaction still open (a caller outside the pipeline) is rolled back and the gate left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            _afterCommit.Clear();
            await RollbackAsync(CancellationToken.None);
        }

        await LeaveGateAsync();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a scope disposed synchronously.</summary>
    public void Dispose()
    {
        try
        {
            _transaction?.Rollback();
            _transaction?.Dispose();
        }
        finally
        {
            _transaction = null;
            _afterCommit.Clear();
            LeaveGate();
        }
    }

    private static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException switch
        {
            Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
            Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
            Microsoft.Data.SqlClient.SqlException s => s.Number is 2601 or 2627,
            _ => false,
        };

    private sealed class Scope(UnitOfWork owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Still open here means an exception escaped the command: undo everything.
            if (owner._transaction is not null)
            {
                owner.DiscardChanges();
                await owner.RollbackAsync(CancellationToken.None);
            }
        }
    }

    private sealed class NoOp : IAsyncDisposable
    {
        public static readonly NoOp Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
