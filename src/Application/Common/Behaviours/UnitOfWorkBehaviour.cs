using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using Mediator;

namespace AuthPlatform.Application.Common.Behaviours;

/// <summary>
/// Runs each command in one database transaction: committed when the command succeeds (or is
/// refused with changes to keep, such as a failed-login counter), rolled back otherwise, so a
/// failed command leaves the database exactly as it was. Only commands go through it, so a
/// query (the hot path of /verify among them) never even builds a database context.
/// </summary>
public sealed class UnitOfWorkBehaviour<TMessage, TResponse>(IUnitOfWork unitOfWork)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IBaseCommand
    where TResponse : IResult<TResponse>
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        // A command that hashes runs its slow work with no transaction open, so no write lock is
        // held meanwhile (SQLite has one for the whole database, and a writer that waits for it
        // behind a hash stalls every other user): the transaction opens when the handler calls
        // StartWritesAsync after its slow work, or here, just before the changes are saved.
        var deferred = message is ISavesWithoutAmbientTransaction;
        await using var transaction = deferred ? unitOfWork.DeferTransaction() : await unitOfWork.BeginTransactionAsync(cancellationToken);
        var response = await next(message, cancellationToken);
        if ((response.IsSuccess || response.KeepsChanges) && deferred && !unitOfWork.HasPendingChanges)
        {
            // Nothing to save and no transaction opened: no write at all, only the after-commit
            // work (a successful token grant: ADR 0014). A transaction the handler opened itself
            // is still committed.
            await unitOfWork.CommitAsync(cancellationToken);
        }
        else if (response.IsSuccess || response.KeepsChanges)
        {
            if (deferred)
            {
                await unitOfWork.StartWritesAsync(cancellationToken);
            }

            await unitOfWork.SaveChangesAsync(cancellationToken);
            await unitOfWork.CommitAsync(cancellationToken);
        }
        else
        {
            unitOfWork.DiscardChanges();
            await unitOfWork.RollbackAsync(cancellationToken);
        }

        return response;
    }
}

/// <summary>
/// A command that hashes a password or a recovery code (or verifies one): it runs without an
/// ambient transaction so that no database write lock is held while it hashes. What it claims or
/// counts before that (attempt budgets, a TOTP step) is an atomic statement of its own; its other
/// writes follow <see cref="IUnitOfWork.StartWritesAsync"/> (or the pipeline opens the
/// transaction before saving) and are committed together. Every command that hashes must carry
/// it: <c>Integration.Tests/Faults/HashingOutsideTransactionsTests</c> fails otherwise.
/// </summary>
public interface ISavesWithoutAmbientTransaction;
