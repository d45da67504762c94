using System.Collections.Concurrent;

namespace AuthPlatform.WebApi.Http;

/// <summary>
/// The budget of failures per key of a throttle where a secret can be guessed
/// (<see cref="ClientAuthenticationThrottle"/>): a fixed window of <c>limit</c> failures per key on
/// <see cref="TimeProvider"/>. An attempt holds a slot while it is evaluated, so a parallel burst
/// never gets more than the budget through to evaluation: failures plus attempts in flight stay
/// within the limit; an attempt beyond it waits for one in flight to end (a burst of right secrets
/// is only serialised, never refused), and once the failures alone reach the limit it is refused.
/// A failure keeps its slot until the window ends, a success gives it back. In memory, per
/// instance; ended windows are dropped once many keys are held.
/// </summary>
public sealed class FailureBudget(int limit, TimeSpan window, TimeProvider clock)
{
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for an attempt (waiting while the slots are held by attempts in flight); null, or the wait until the window ends when the failures spent the budget.</summary>
    public async Task<TimeSpan?> ReserveAsync(string key, CancellationToken cancellationToken)
    {
        if (_entries.Count > SweepAbove)
        {
            Sweep();
        }

        while (true)
        {
            var now = clock.GetUtcNow();
            var entry = _entries.GetOrAdd(key, _ => new Entry(now));
            Task settled;
            lock (entry)
            {
                if (entry.Dropped)
                {
                    continue;
                }

                if (now - entry.Start >= window)
                {
                    entry.Start = now;
                    entry.Failures = 0;
                }

                if (entry.Failures >= limit)
                {
                    return entry.Start + window - now;
                }

                if (entry.Failures + entry.InFlight < limit)
                {
                    entry.InFlight++;
                    return null;
                }

                entry.Settled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                settled = entry.Settled.Task;
            }

            await settled.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ends an attempt that <see cref="ReserveAsync"/> let through: a failure keeps its slot for the window.</summary>
    public void Complete(string key, bool failed)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return;
        }

        TaskCompletionSource? settled;
        lock (entry)
        {
            entry.InFlight = Math.Max(0, entry.InFlight - 1);
            if (failed)
            {
                entry.Failures++;
            }

            settled = entry.Settled;
            entry.Settled = null;
        }

        settled?.TrySetResult();
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            lock (entry)
            {
                if (entry.InFlight == 0 && now - entry.Start >= window)
                {
                    entry.Dropped = true;
                    _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
                }
            }
        }
    }

    private sealed class Entry(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Failures { get; set; }

        public int InFlight { get; set; }

        public bool Dropped { get; set; }

        public TaskCompletionSource? Settled { get; set; }
    }
}
