using System.Net.Sockets;
using AuthPlatform.Client;

namespace AuthPlatform.Cli;

/// <summary>
/// One command's run: the server (<c>--url</c>, else <c>AUTHPLATFORM_URL</c>, else the last login's), the credential
/// (<c>AUTHPLATFORM_API_KEY</c>, else the stored tokens, refreshed by the SDK and saved back), the SDK client, and the
/// one place where failures become an error line and an exit code (<see cref="ExitCodes"/>).
/// </summary>
internal sealed class Context
{
    private Context(CliEnvironment env, Output output, CredentialsFile store, Uri server, AuthPlatformClient client)
    {
        Env = env;
        Output = output;
        Store = store;
        Server = server;
        Client = client;
    }

    public CliEnvironment Env { get; }

    public Output Output { get; }

    public CredentialsFile Store { get; }

    public Uri Server { get; }

    public AuthPlatformClient Client { get; }

    public static async Task<int> RunAsync(
        CliEnvironment env, bool json, string? url, bool needsCredentials, Func<Context, CancellationToken, Task<int>> command, CancellationToken ct)
    {
        var output = new Output(env, json);
        var store = new CredentialsFile(env.ConfigDirectory ?? CredentialsFile.DefaultDirectory(env.Variable));
        var stored = await store.ReadAsync(ct);
        var apiKey = CliApp.Text(env.Variable("AUTHPLATFORM_API_KEY"));
        if (!TryServer(url, env, stored, out var server, out var problem))
        {
            output.Error(ExitCodes.Usage, problem);
            return ExitCodes.Usage;
        }

        if (needsCredentials && apiKey is null && stored?.Tokens is null)
        {
            output.Error(ExitCodes.NotSignedIn, "Not signed in: run 'authplatform login' (or set AUTHPLATFORM_API_KEY).", "not_signed_in");
            return ExitCodes.NotSignedIn;
        }

        if (stored?.Tokens is not null && stored.Server is { } storedServer && !SameServer(storedServer, server) && apiKey is null && needsCredentials)
        {
            output.Error(ExitCodes.NotSignedIn, $"Signed in to {storedServer}, not {server}: run 'authplatform login --url {server}'.", "not_signed_in");
            return ExitCodes.NotSignedIn;
        }

        store.Server = server;
        using var client = AuthPlatformClient.Create(new AuthPlatformClientOptions
        {
            BaseUrl = server,
            ApiKey = needsCredentials ? apiKey : null, // login and logout act on the stored tokens
            ClientId = null,
            ClientSecret = null,
            Scope = null,
            TokenStore = store,
            InnerHandler = env.Handler,
            UserAgent = "authplatform-cli/" + typeof(CliApp).Assembly.GetName().Version?.ToString(3),
        });
        try
        {
            return await command(new Context(env, output, store, server, client), ct);
        }
        catch (Exception e) when (Failure(e) is { } failure)
        {
            output.Error(failure.ExitCode, failure.Message, failure.Code, failure.Status);
            return failure.ExitCode;
        }
    }

    /// <summary>What an exception means for a script: the exit code, one line, the problem's code; null for a bug (it propagates).</summary>
    internal static (int ExitCode, string Message, string? Code, int? Status)? Failure(Exception e) => e switch
    {
        AuthPlatformSessionEndedException ended => (ExitCodes.NotSignedIn, ended.Message, ended.Code ?? "session_ended", ended.Status),
        AuthPlatformOAuthException oauth when oauth.Error is "access_denied" or "expired_token" =>
            (ExitCodes.ApiError, oauth.Error == "access_denied" ? "The login was denied in the browser." : "The code expired before anyone approved it: run 'authplatform login' again.", oauth.Error, oauth.Status),
        AuthPlatformOAuthException { Error: "invalid_client" } oauth =>
            (ExitCodes.ApiError, $"The server does not know this CLI's client ({oauth.ErrorDescription}): the server may have the built-in CLI client disabled (OAuth__CliClient__Enabled); ask its administrator for a client id and pass --client-id.", oauth.Error, oauth.Status),
        AuthPlatformException { Status: 401 } api => (ExitCodes.NotSignedIn, Detail(api) + " Run 'authplatform login'.", api.Code, api.Status),
        AuthPlatformException { Status: 403, Code: "mfa_required" } api => (ExitCodes.Forbidden, Detail(api) + " Pass --code with a current code.", api.Code, api.Status),
        AuthPlatformException { Status: 403 } api => (ExitCodes.Forbidden, Detail(api), api.Code, api.Status),
        AuthPlatformException { Status: 429 } api =>
            (ExitCodes.Throttled, Detail(api) + (api.RetryAfter is { } wait ? $" Retry after {Math.Ceiling(wait.TotalSeconds)} s." : ""), api.Code, api.Status),
        AuthPlatformException { Status: >= 500 } api => (ExitCodes.Unavailable, Detail(api), api.Code, api.Status),
        AuthPlatformException api => (ExitCodes.ApiError, Detail(api), api.Code, api.Status),
        HttpRequestException http => (ExitCodes.Unavailable, $"The server could not be reached: {Reason(http)}.", "unavailable", null),
        TaskCanceledException when e.InnerException is TimeoutException => (ExitCodes.Unavailable, "The server did not answer in time.", "unavailable", null),
        _ => null,
    };

    private static string Detail(AuthPlatformException e) => e.Detail ?? e.Message;

    private static string Reason(HttpRequestException e) =>
        e.InnerException is SocketException socket ? socket.Message : e.HttpRequestError.ToString();

    private static bool TryServer(string? url, CliEnvironment env, CredentialsFile.Stored? stored, out Uri server, out string problem)
    {
        problem = string.Empty;
        server = null!;
        var (text, source) = CliApp.Text(url) is { } given ? (given, "--url")
            : CliApp.Text(env.Variable("AUTHPLATFORM_URL")) is { } fromEnv ? (fromEnv, "AUTHPLATFORM_URL")
            : (stored?.Server?.AbsoluteUri, "the stored login");
        if (text is null)
        {
            problem = "Which server? Pass --url https://auth.example.com (or set AUTHPLATFORM_URL).";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var chosen) || chosen.Scheme is not ("http" or "https"))
        {
            problem = $"{source} must be an http or https address: '{text}'.";
            return false;
        }

        server = chosen;
        return true;
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
