using System.Collections.Concurrent;
using System.Diagnostics;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// The real server as an operator starts it: <c>dotnet AuthPlatform.WebApi.dll</c> (the build copied
/// into this test's output), in a working directory of its own, with the given environment variables
/// and none inherited that could configure it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();

    private ServerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(_err, e.Data);
    }

    public string StandardOutput => string.Join('\n', _out);

    public string StandardError => string.Join('\n', _err);

    public IReadOnlyList<string> ErrorLines => _err.Where(line => line.Trim().Length > 0).ToList();

    public int ExitCode => _process.ExitCode;

    public int ProcessId => _process.Id;

    public static ServerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.GetDirectoryName(dll)!);
        foreach (var name in start.Environment.Keys.Where(IsServerSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(new Process { StartInfo = start });
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>True if the process ended within <paramref name="timeout"/> (its output fully read).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True once standard output holds <paramref name="text"/>, false if the process ends or the time runs out first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (StandardOutput.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>Variables of the test's own environment that would configure the server (ASP.NET Core's, or any section__key).</summary>
    private static bool IsServerSetting(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
        || name.Contains("__", StringComparison.Ordinal)
        || name.Equals("Urls", StringComparison.OrdinalIgnoreCase);

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
