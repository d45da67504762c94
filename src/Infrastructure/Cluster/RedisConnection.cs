using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// This node's one connection to Redis (StackExchange.Redis multiplexes it), made on first use. It
/// never stops the server: with Redis out of reach at start-up it keeps trying in the background
/// (<c>abortConnect=false</c>), and a command while it is down fails at once instead of queueing
/// (<see cref="BacklogPolicy.FailFast"/>), so callers fall back to their local behaviour.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> options) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() => Connect(options.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    public IConnectionMultiplexer Multiplexer => _multiplexer.Value;

    public bool IsConnected => _multiplexer.Value.IsConnected;

    public string Prefix => options.Value.Prefix;

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
        {
            _multiplexer.Value.Dispose();
        }
    }

    private static ConnectionMultiplexer Connect(RedisOptions redis)
    {
        var configuration = ConfigurationOptions.Parse(redis.Connection);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "authplatform";
        return ConnectionMultiplexer.Connect(configuration);
    }
}
