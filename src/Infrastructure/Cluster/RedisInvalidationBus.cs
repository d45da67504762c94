// Longer than 150 lines because the link's states (linked, degraded), its watch and both directions of the channel must change together.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// The invalidations of the verification memory on Redis publish/subscribe (ADR 0022): what this
/// node changed goes out on one channel, what another node changed comes in and is made here. While
/// the link is down (the server, the connection or the subscription) the node is degraded: it has
/// dropped what it remembered as verified, keeps new entries only briefly
/// (<see cref="MemoryLifetimes"/>) and reads the refusals and signing keys from the database every
/// <c>Redis:DegradedCacheDuration</c>. When the link is back it drops that memory once more (it may
/// have missed announcements) and reads the refusals again; no restart is needed.
/// </summary>
public sealed partial class RedisInvalidationBus(
    RedisConnection connection, VerificationMemory memory, MemoryLifetimes lifetimes, ILogger<RedisInvalidationBus> logger)
    : BackgroundService, IInvalidationBus
{
    private readonly string _node = Guid.NewGuid().ToString("N")[..16];
    private readonly Lock _state = new();
    private readonly RedisChannel _channel = RedisChannel.Literal(connection.Prefix + ":invalidations");
    private bool _linked;
    private int _keysUnannounced;

    /// <summary>Whether announcements flow both ways now.</summary>
    public bool IsLinked => Volatile.Read(ref _linked);

    public void Publish(Invalidation invalidation)
    {
        if (!IsLinked)
        {
            // The others are told by their short cache lifetimes, or by their drop on reconnection; but a
            // signing key made before this node linked (at start-up, before the hosted services start) is
            // news to linked nodes, which read keys only every minute: announced once the link is up.
            if (invalidation is Invalidation.SigningKeysChanged)
            {
                Volatile.Write(ref _keysUnannounced, 1);
                if (IsLinked)
                {
                    AnnounceUnannouncedKeys(); // the link came up meanwhile
                }
            }

            return;
        }

        Send(invalidation);
    }

    private void AnnounceUnannouncedKeys()
    {
        if (Interlocked.Exchange(ref _keysUnannounced, 0) == 1)
        {
            Send(new Invalidation.SigningKeysChanged());
        }
    }

    private void Send(Invalidation invalidation)
    {
        try
        {
            connection.Multiplexer.GetSubscriber().Publish(_channel, $"{_node} {invalidation.Encode()}", CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            LogPublishFailed(logger, e.GetType().Name);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var multiplexer = connection.Multiplexer;
        multiplexer.ConnectionFailed += (_, _) => Observe();
        multiplexer.ConnectionRestored += (_, _) => Observe();
        await SubscribeAsync();
        Observe();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(lifetimes.DegradedCacheDuration);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SubscribeAsync();
                Observe();
                if (!IsLinked)
                {
                    await RefreshAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private volatile bool _subscribed;

    private async Task SubscribeAsync()
    {
        if (_subscribed)
        {
            return;
        }

        try
        {
            // Registered once: StackExchange.Redis subscribes again by itself after a reconnection.
            await connection.Multiplexer.GetSubscriber().SubscribeAsync(_channel, (_, message) => Receive(message));
            _subscribed = true;
        }
        catch (RedisException)
        {
            // Redis out of reach: the loop tries again.
        }
    }

    private void Receive(RedisValue message)
    {
        var text = (string?)message ?? string.Empty;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || text.AsSpan(0, space).SequenceEqual(_node))
        {
            return; // our own announcement: already made here
        }

        if (Invalidation.Decode(text[(space + 1)..]) is { } invalidation)
        {
            memory.Apply(invalidation);
        }
    }

    /// <summary>Moves between linked and degraded when the link changed; called on every connection event and tick.</summary>
    private void Observe()
    {
        var multiplexer = connection.Multiplexer;
        var up = _subscribed && multiplexer.IsConnected && multiplexer.GetSubscriber().IsConnected(_channel);
        lock (_state)
        {
            if (up == _linked && (up || lifetimes.IsDegraded))
            {
                return;
            }

            // Either way what this node remembers as verified may be stale: announcements were or may have been missed.
            lifetimes.SetDegraded(!up);
            memory.ForgetVerified();
            Volatile.Write(ref _linked, up);
        }

        if (up)
        {
            LogLinked(logger);
            AnnounceUnannouncedKeys();
            _ = RefreshAsync(CancellationToken.None);
        }
        else
        {
            LogDegraded(logger, lifetimes.DegradedCacheDuration.TotalSeconds);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await memory.RefreshFromDatabaseAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is out of reach: degraded mode, throttling per node and verified keys and tokens remembered at most {Seconds} s until it is back")]
    private static partial void LogDegraded(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is reachable: invalidations shared again; this node's verification memory was dropped and the refusals read again")]
    private static partial void LogLinked(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing an invalidation on Redis failed ({Exception}); the other nodes' short cache lifetimes cover it")]
    private static partial void LogPublishFailed(ILogger logger, string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the refusals and signing keys from the database failed ({Exception}); tried again shortly")]
    private static partial void LogRefreshFailed(ILogger logger, string exception);
}
