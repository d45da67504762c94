namespace AuthPlatform.Cli;

/// <summary>
/// What the CLI takes from the world, so that tests can run it in-process: its output streams, the environment
/// variables, where the config folder is, how it opens a browser and the handler that sends its requests.
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Where a prompt (the second-factor code) is read from; null: no prompt, the command fails instead.</summary>
    public TextReader? In { get; init; }

    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The config folder; null: <see cref="CredentialsFile.DefaultDirectory"/>.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>Opens the verification page in a browser; false when it could not.</summary>
    public Func<Uri, bool> OpenBrowser { get; init; } = Browser.TryOpen;

    /// <summary>The handler that sends the requests (tests: the in-process server's); null: the SDK's own.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The real console of a process.</summary>
    public static CliEnvironment FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.IsInputRedirected ? null : Console.In,
    };
}

/// <summary>Opens a URL in the desktop's browser, where there is a desktop.</summary>
public static class Browser
{
    public static bool TryOpen(Uri uri)
    {
        try
        {
            System.Diagnostics.ProcessStartInfo? start =
                OperatingSystem.IsWindows() ? new("cmd", ["/c", "start", "", uri.AbsoluteUri]) { CreateNoWindow = true }
                : OperatingSystem.IsMacOS() ? new("open", [uri.AbsoluteUri])
                : HasDisplay() ? new("xdg-open", [uri.AbsoluteUri])
                : null;
            if (start is null)
            {
                return false;
            }

            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            using var process = System.Diagnostics.Process.Start(start);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no xdg-open, no open
        }
    }

    private static bool HasDisplay() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
}
