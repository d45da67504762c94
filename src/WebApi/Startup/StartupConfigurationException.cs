namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// A start-up refused because of the configuration: its message is the error lines, one per bad
/// setting. Thrown by Program's checks; when nothing catches it (a real process), the reporter
/// installed by <see cref="ExitOnUnhandled"/> writes exactly those lines to stderr and ends the
/// process with exit code 1, so no stack trace is printed. In the tests, the host factory catches
/// it like any start-up exception, and its message names the setting.
/// </summary>
public sealed class StartupConfigurationException(IReadOnlyList<string> lines) : Exception(string.Join(Environment.NewLine, lines))
{
    public const int ExitCode = 1;

    private static int _installed;

    public IReadOnlyList<string> Lines { get; } = lines;

    /// <summary>Installs the reporter once per process; other unhandled exceptions keep the runtime's behaviour.</summary>
    public static void ExitOnUnhandled()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += Report;
        }
    }

    /// <summary>Throws when there is at least one line.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> lines)
    {
        if (lines.Count > 0)
        {
            throw new StartupConfigurationException(lines);
        }
    }

    private static void Report(object sender, UnhandledExceptionEventArgs args)
    {
        if (args.ExceptionObject is not StartupConfigurationException refused)
        {
            return;
        }

        foreach (var line in refused.Lines)
        {
            Console.Error.WriteLine(line);
        }

        Console.Error.Flush();
        Environment.Exit(ExitCode);
    }
}
