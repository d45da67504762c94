namespace AuthPlatform.Application.Common.Persistence;

/// <summary>Runs work after the current transaction commits (cache invalidation, key-ring reloads).</summary>
public interface IAfterCommit
{
    void Enqueue(Func<CancellationToken, Task> action);
}
