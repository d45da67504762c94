using AuthPlatform.Application.Common.Ports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>One transaction per command over the scoped <see cref="AuthDbContext"/>.</summary>
public sealed class UnitOfWork(AuthDbContext db) : IUnitOfWork, IAfterCommit
{
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];
    private IDbContextTransaction? _transaction;

    public async Task<IAsyncDisposable> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            return NoOp.Instance;
        }

        // On SQLite this is BEGIN IMMEDIATE: writers queue at the start instead of failing mid-way.
        _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        return new Scope(this);
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
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

        await _transaction.RollbackAsync(cancellationToken);
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    public void DiscardChanges() => db.ChangeTracker.Clear();

    public void Enqueue(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

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
