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
        if (message is ISavesWithoutAmbientTransaction)
        {
            // Slow work (password hashing) runs with no transaction open, so no write lock is
            // held meanwhile (SQLite has one for the whole database); the command's changes are
            // then saved by one SaveChanges, which is atomic on its own.
            var result = await next(message, cancellationToken);
            if (result.IsSuccess || result.KeepsChanges)
            {
                await unitOfWork.SaveChangesAsync(cancellationToken);
                await unitOfWork.CommitAsync(cancellationToken);
            }
            else
            {
                unitOfWork.DiscardChanges();
                await unitOfWork.RollbackAsync(cancellationToken);
            }

            return result;
        }

        await using var transaction = await unitOfWork.BeginTransactionAsync(cancellationToken);
        var response = await next(message, cancellationToken);
        if (response.IsSuccess || response.KeepsChanges)
        {
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
/// A command whose changes are saved by a single SaveChanges (plus atomic single-statement
/// updates), and which does slow work first: it runs without an ambient transaction so that no
/// database write lock is held while it hashes.
/// </summary>
public interface ISavesWithoutAmbientTransaction;
