namespace AuthPlatform.Application.Common.Persistence;

public interface IUnitOfWork
{
    Task<IAsyncDisposable> BeginTransactionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// For a command that runs without a transaction while it does slow work (password and
    /// recovery-code hashing, see <c>ISavesWithoutAmbientTransaction</c>): no transaction is open
    /// until <see cref="StartWritesAsync"/>; disposing the scope rolls back whatever was opened and
    /// not committed.
    /// </summary>
    IAsyncDisposable DeferTransaction();

    /// <summary>
    /// Opens the command's transaction now (no-op when one is open), once the slow work is done:
    /// the writes that follow are committed together by the pipeline, or rolled back. On SQLite
    /// this is when the database's one write lock is taken, so nothing slow may follow it. The
    /// domain events raised before it are dispatched before the transaction opens.
    /// </summary>
    Task StartWritesAsync(CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// True when something waits to be saved: a tracked change, or a domain event raised (by an
    /// aggregate or through <c>IDomainEvents</c>) and not yet dispatched. A deferred command with
    /// nothing pending opens no transaction at all (a successful token grant writes nothing).
    /// </summary>
    bool HasPendingChanges { get; }

    Task RollbackAsync(CancellationToken cancellationToken);

    /// <exception cref="ConcurrencyConflictException">another writer saved the same aggregate first.</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets every tracked change, its undispatched events and the work queued for after its commit (after a conflict, before reloading).</summary>
    void DiscardChanges();
}

/// <summary>Thrown by <see cref="IUnitOfWork.SaveChangesAsync"/> when another writer changed the same aggregate first.</summary>
public sealed class ConcurrencyConflictException(string message, Exception inner) : Exception(message, inner);

/// <summary>Thrown by <see cref="IUnitOfWork.SaveChangesAsync"/> when a unique index refuses a row (a race the handler's check lost).</summary>
public sealed class DuplicateKeyException(string message, Exception inner) : Exception(message, inner);
