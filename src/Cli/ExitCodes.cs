namespace AuthPlatform.Cli;

/// <summary>The exit codes of <c>authplatform</c>: stable, documented in docs/cli.md, for scripts to branch on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The server refused the request (a 4xx other than those below), or the person denied the login.</summary>
    public const int ApiError = 1;

    /// <summary>The command line is wrong (unknown command or option, missing argument, no server address).</summary>
    public const int Usage = 2;

    /// <summary>Not signed in, or the session ended (401; the stored tokens are then cleared): run <c>authplatform login</c>.</summary>
    public const int NotSignedIn = 3;

    /// <summary>Forbidden (403): a missing scope, or a second factor needed (<c>mfa_required</c>: pass <c>--code</c>).</summary>
    public const int Forbidden = 4;

    /// <summary>The server could not be reached or failed (connection refused, timeout, 5xx, 503).</summary>
    public const int Unavailable = 5;

    /// <summary>Throttled (429 <c>rate_limited</c>): retry after the time the message gives.</summary>
    public const int Throttled = 6;
}
