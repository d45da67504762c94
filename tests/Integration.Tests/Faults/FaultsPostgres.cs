using System.Diagnostics;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// The PostgreSQL server that the outage test may stop and start: never the shared one of
/// <c>AUTHPLATFORM_TEST_POSTGRES</c>, which other tests use in parallel. tests/run.sh creates it
/// as a second cluster (127.0.0.1:5433) and sets the three variables; without them the test
/// fails, as the other PostgreSQL tests do, saying how to provide them.
/// </summary>
public sealed class FaultsPostgres
{
    public const string ConnectionVariable = "AUTHPLATFORM_TEST_POSTGRES_FAULTS";
    public const string StopVariable = "AUTHPLATFORM_TEST_POSTGRES_FAULTS_STOP";
    public const string StartVariable = "AUTHPLATFORM_TEST_POSTGRES_FAULTS_START";

    private FaultsPostgres(string connectionString, string stop, string start)
    {
        ConnectionString = connectionString;
        StopCommand = stop;
        StartCommand = start;
    }

    /// <summary>A login that may create databases on the fault-test server.</summary>
    public string ConnectionString { get; }

    public string StopCommand { get; }

    public string StartCommand { get; }

    public static FaultsPostgres FromEnvironment()
    {
        var values = new[] { ConnectionVariable, StopVariable, StartVariable }
            .Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)))
            .ToList();
        var missing = values.Where(v => string.IsNullOrWhiteSpace(v.Value)).Select(v => v.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database-outage test needs a PostgreSQL server of its own that it may stop and start; {string.Join(", ", missing)} not set. "
                + "Run 'bash tests/run.sh' as root (it creates the cluster 'faults' on 127.0.0.1:5433 and sets them), or set "
                + $"{ConnectionVariable} (e.g. Host=127.0.0.1;Port=5433;Username=postgres;Password=postgres;Database=postgres), "
                + $"{StopVariable} and {StartVariable} (e.g. 'sudo pg_ctlcluster 15 faults stop' and '... start'). "
                + "Never point it at a server other tests use.");
        }

        return new FaultsPostgres(values[0].Value!, values[1].Value!, values[2].Value!);
    }

    public Task StopAsync() => RunAsync(StopCommand);

    public Task StartAsync() => RunAsync(StartCommand);

    private static async Task RunAsync(string command)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"'{command}' exited {process.ExitCode}: {await output}{await error}");
    }
}
