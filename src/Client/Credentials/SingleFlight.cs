namespace AuthPlatform.Client.Credentials;

/// <summary>
/// At most one run of a piece of work at a time: callers that arrive while it runs await the same run. The run
/// itself is not cancelled by a caller giving up (a refresh whose answer is lost would spend the refresh token).
/// </summary>
internal sealed class SingleFlight<T>
{
    private readonly Lock _gate = new();
    private Task<T>? _running;

    public Task<T> RunAsync(Func<Task<T>> work, CancellationToken ct)
    {
        Task<T> task;
        lock (_gate)
        {
            task = _running ??= StartAsync(work);
        }

        return task.WaitAsync(ct);
    }

    private async Task<T> StartAsync(Func<Task<T>> work)
    {
        // Leave the lock before the work runs; the run clears itself under the lock, so after it was published.
        await Task.Yield();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }
        }
    }
}
