using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// Redis for the cluster tests (ADR 0022): the shared server whose address tests/run.sh passes in
/// <c>AUTHPLATFORM_TEST_REDIS</c> (it installs and starts Debian's redis-server on loopback), or a
/// server of a test's own (<see cref="StartOwnAsync"/>) that it may stop and start again. Like the
/// PostgreSQL tests, these fail, never skip, when Redis is missing.
/// </summary>
public sealed class TestRedis : IAsyncDisposable
{
    public const string Variable = "AUTHPLATFORM_TEST_REDIS";

    private readonly int _port;
    private Process? _server;

    private TestRedis(int port) => _port = port;

    public string Address => $"127.0.0.1:{_port}";

    /// <summary>The shared server's address (host:port).</summary>
    public static string SharedAddress() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } address
            ? address
            : throw new InvalidOperationException(
                $"The cluster tests need Redis: set {Variable} to host:port of a redis-server, or run 'bash tests/run.sh', which installs and starts one.");

    /// <summary>A redis-server of this test's own on a free loopback port, nothing saved to disk.</summary>
    public static async Task<TestRedis> StartOwnAsync()
    {
        var redis = new TestRedis(FreePort());
        await redis.StartAsync();
        return redis;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _server = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: 'apt-get install -y redis-server' (tests/run.sh does it).", e);
        }

        _server.OutputDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        for (var i = 0; i < 100 && !await PingAsync(); i++)
        {
            await Task.Delay(50);
        }

        if (!await PingAsync())
        {
            throw new InvalidOperationException($"redis-server did not answer on {Address}.");
        }
    }

    /// <summary>Kills the server at once (no shutdown handshake: as a crash or a network cut looks to a client).</summary>
    public async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server?.Dispose();
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
