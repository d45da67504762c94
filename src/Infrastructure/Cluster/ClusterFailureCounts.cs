using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// The cluster's count of a failure budget (the failures of client authentication at the token
/// endpoint, of device user codes; ADR 0022): per budget and throttle key (an address or a user
/// id, never a secret) one Redis hash <c>&lt;prefix&gt;:fb:&lt;budget&gt;:&lt;key&gt;</c> holding the window's
/// failures (<c>f</c>), the attempts being evaluated on any node (<c>h</c>) and the window's id
/// (<c>w</c>), which expires with the window (a fixed window from its first attempt). Each step is
/// one Lua script, so two nodes never both take the last slot. With no Redis configured, or while it
/// is out of reach, <see cref="ReserveAsync"/> answers <see cref="ClusterReservation.Unavailable"/>
/// and the caller counts on its own (logged at most every 30 s, as <see cref="ThrottleLimiters"/>).
/// </summary>
public sealed class ClusterFailureCounts(IServiceProvider services, ThrottleLimiters limiters)
{
    // ARGV: limit, window (ms), a new window id. Returns {state, ms left in the window, window id}:
    // -1 spent (the failures reached the limit), 0 full (failures and attempts in flight do), 1 a slot taken.
    private const string ReserveScript = """
        local id = redis.call('HGET', KEYS[1], 'w')
        if not id then
          id = ARGV[3]
          redis.call('HSET', KEYS[1], 'f', 0, 'h', 0, 'w', id)
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        local f = tonumber(redis.call('HGET', KEYS[1], 'f'))
        local h = tonumber(redis.call('HGET', KEYS[1], 'h'))
        local ttl = redis.call('PTTL', KEYS[1])
        local limit = tonumber(ARGV[1])
        if f >= limit then return {-1, ttl, id} end
        if f + h >= limit then return {0, ttl, id} end
        redis.call('HINCRBY', KEYS[1], 'h', 1)
        return {1, ttl, id}
        """;

    // ARGV: the reservation's window id (empty when it was taken locally), failed (1/0), window (ms), a new window id.
    // The slot is given back in its own window only; a failure counts in the window open now.
    private const string CompleteScript = """
        local id = redis.call('HGET', KEYS[1], 'w')
        if id and id == ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'h')) > 0 then
          redis.call('HINCRBY', KEYS[1], 'h', -1)
        end
        if ARGV[2] == '1' then
          if not id then
            redis.call('HSET', KEYS[1], 'f', 0, 'h', 0, 'w', ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
          end
          redis.call('HINCRBY', KEYS[1], 'f', 1)
        end
        return 1
        """;

    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();

    /// <summary>Whether the budgets are the cluster's (Redis configured), even while Redis is out of reach.</summary>
    public bool IsShared => _redis is not null;

    /// <summary>Takes a slot of <paramref name="budget"/> for <paramref name="key"/> in the cluster's window, or says why not.</summary>
    public async Task<ClusterReservation> ReserveAsync(string budget, string key, int limit, TimeSpan window)
    {
        if (_redis is not { IsConnected: true } redis)
        {
            return ClusterReservation.Unavailable;
        }

        try
        {
            var result = (RedisResult[])(await redis.Multiplexer.GetDatabase().ScriptEvaluateAsync(
                ReserveScript, [Key(redis, budget, key)], [limit, (long)window.TotalMilliseconds, NewWindowId()]))!;
            var left = (long)result[1];
            var retryAfter = left > 0 ? TimeSpan.FromMilliseconds(left) : window;
            return new ClusterReservation((ClusterReservationState)(int)result[0], retryAfter, (string)result[2]!);
        }
        catch (RedisException e)
        {
            limiters.FellBack(e);
            return ClusterReservation.Unavailable;
        }
    }

    /// <summary>
    /// Ends an attempt: gives its slot back (<paramref name="windowId"/>: the reservation's; null when the node
    /// counted on its own) and counts a failure. Sent without waiting for the answer: a late arrival only makes
    /// another node wait for the slot, never lets one more attempt through.
    /// </summary>
    public void Complete(string budget, string key, string? windowId, bool failed, TimeSpan window)
    {
        if (_redis is not { IsConnected: true } redis || (windowId is null && !failed))
        {
            return;
        }

        try
        {
            redis.Multiplexer.GetDatabase().ScriptEvaluate(
                CompleteScript,
                [Key(redis, budget, key)],
                [windowId ?? string.Empty, failed ? 1 : 0, (long)window.TotalMilliseconds, NewWindowId()],
                CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            limiters.FellBack(e); // the slot is held until the window ends: stricter, never looser
        }
    }

    private static RedisKey Key(RedisConnection redis, string budget, string key) => $"{redis.Prefix}:fb:{budget}:{key}";

    private static string NewWindowId() => Guid.NewGuid().ToString("N")[..12];
}

/// <summary>What the cluster said to a reservation.</summary>
public enum ClusterReservationState
{
    /// <summary>The failures spent the budget: refused until the window ends.</summary>
    Spent = -1,

    /// <summary>Failures and attempts in flight (on any node) hold every slot: wait for one to end.</summary>
    Full = 0,

    /// <summary>A slot is taken in the window <see cref="ClusterReservation.WindowId"/>.</summary>
    Taken = 1,

    /// <summary>No Redis, or out of reach: the node counts on its own.</summary>
    Unavailable = 2,
}

/// <summary>A reservation's answer; <see cref="RetryAfter"/> is what is left of the cluster's window.</summary>
public readonly record struct ClusterReservation(ClusterReservationState State, TimeSpan RetryAfter, string? WindowId)
{
    public static readonly ClusterReservation Unavailable = new(ClusterReservationState.Unavailable, TimeSpan.Zero, null);
}
