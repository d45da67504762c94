// Longer than 150 lines because the local slots and the cluster's count (with its fallback) must be decided together under one entry's lock.
using System.Collections.Concurrent;
using AuthPlatform.Infrastructure.Cluster;

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
/// With Redis (<paramref name="cluster"/> shared, ADR 0022) the failures and the slots are the
/// cluster's: the same rule holds for every node together (a slot held on another node is waited
/// for by polling), and this node's own count, kept alongside, decides only while Redis is out of reach.
/// </summary>
public sealed class FailureBudget(int limit, TimeSpan window, TimeProvider clock, ClusterFailureCounts? cluster = null, string name = "failures")
{
    private const int SweepAbove = 10_000;

    /// <summary>How often an attempt waiting for a slot held on another node asks again.</summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);

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
            var shared = cluster is { IsShared: true }
                ? await cluster.ReserveAsync(name, key, limit, window)
                : ClusterReservation.Unavailable;
            (TimeSpan? Refused, Task? Wait) decision;
            while (true)
            {
                var now = clock.GetUtcNow();
                var entry = _entries.GetOrAdd(key, _ => new Entry(now));
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

                    decision = Decide(entry, shared, now);
                    break;
                }
            }

            if (decision.Wait is not { } wait)
            {
                return decision.Refused;
            }

            await wait.WaitAsync(cancellationToken);
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
        string? clusterWindow;
        lock (entry)
        {
            entry.InFlight = Math.Max(0, entry.InFlight - 1);
            if (failed)
            {
                entry.Failures++;
            }

            clusterWindow = entry.ClusterWindows.TryDequeue(out var id) ? id : null;
            settled = entry.Settled;
            entry.Settled = null;
        }

        settled?.TrySetResult();
        if (cluster is { IsShared: true })
        {
            cluster.Complete(name, key, clusterWindow, failed, window);
        }
    }

    /// <summary>Under the entry's lock: the cluster's answer when there is one, else this node's own count.</summary>
    private (TimeSpan? Refused, Task? Wait) Decide(Entry entry, ClusterReservation shared, DateTimeOffset now)
    {
        switch (shared.State)
        {
            case ClusterReservationState.Spent:
                return (shared.RetryAfter, null);
            case ClusterReservationState.Taken:
                entry.InFlight++;
                entry.ClusterWindows.Enqueue(shared.WindowId);
                return (null, null);
            case ClusterReservationState.Full:
                // Held by attempts in flight, here or on other nodes: whichever ends first, ask again.
                return (null, Task.WhenAny(Settled(entry), Task.Delay(PollEvery)));
        }

        if (entry.Failures >= limit)
        {
            return (entry.Start + window - now, null);
        }

        if (entry.Failures + entry.InFlight < limit)
        {
            entry.InFlight++;
            entry.ClusterWindows.Enqueue(null);
            return (null, null);
        }

        return (null, Settled(entry));
    }

    private static Task Settled(Entry entry)
    {
        entry.Settled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return entry.Settled.Task;
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

        /// <summary>The cluster's window of each attempt in flight (null: counted here alone), given back at its end.</summary>
        public Queue<string?> ClusterWindows { get; } = new();
    }
}
