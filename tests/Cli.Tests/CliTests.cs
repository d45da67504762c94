// Longer than 150 lines because each command of the CLI is proven here end to end against the real server.
using System.Text.Json.Nodes;
using AuthPlatform.Client;
using AuthPlatform.Client.Generated.Models;
using AuthPlatform.Client.Tests;
using AuthPlatform.Integration.Tests.Infrastructure;
using AuthPlatform.WebApi.Startup;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Cli.Tests;

/// <summary>
/// The <c>authplatform</c> CLI run in-process (<see cref="CliApp.RunAsync"/>) against the real server: a login through the
/// device grant that a person approves on the HTML pages, the credentials file, refresh, logout, keys, sessions, 2FA,
/// JSON output and the exit codes.
/// </summary>
public sealed class CliTests(Server server) : IClassFixture<Server>, IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"authplatform-cli-{Guid.NewGuid():N}", "authplatform");

    public void Dispose()
    {
        if (Directory.Exists(Path.GetDirectoryName(_config)))
        {
            Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);
        }
    }

    [Fact]
    public async Task Login_ApprovedInTheBrowser_SavesOwnerOnlyCredentialsAndWhoAmIAnswers()
    {
        var email = await LoginAsync();

        var file = Path.Combine(_config, CredentialsFile.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_config));
        }

        Assert.Single(Directory.GetFiles(_config)); // no temporary file left behind
        var stored = Server.Json(await File.ReadAllTextAsync(file));
        Assert.Equal(Server.BaseUrl, ((string?)stored["server"])?.TrimEnd('/'));
        Assert.Equal(CliApp.BuiltInClientId, (string?)stored["tokens"]!["client_id"]);

        var whoami = await RunAsync("whoami", "--json");
        Assert.Equal(ExitCodes.Ok, whoami.Code);
        var me = Server.Json(whoami.Out);
        Assert.Equal("oauth", (string?)me["auth"]!["method"]);
        Assert.Equal(CliApp.BuiltInClientId, (string?)me["auth"]!["client_id"]);
        Assert.Contains("api_keys:write", me["auth"]!["scopes"]!.AsArray().Select(s => (string?)s));

        var table = await RunAsync("whoami");
        Assert.Contains("signed in by: oauth", table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain((string)stored["tokens"]!["access_token"]!, whoami.Out + table.Out + whoami.Err + table.Err, StringComparison.Ordinal);
        Assert.NotNull(email);
    }

    [Fact]
    public async Task Keys_CreateListRotateRevoke_WithJson()
    {
        await LoginAsync();

        var created = await RunAsync("keys", "create", "--name", "ci deploy", "--scope", "profile", "api_keys:read", "--expires-in", "30.00:00:00", "--json");
        Assert.Equal(ExitCodes.Ok, created.Code);
        var key = Server.Json(created.Out);
        Assert.StartsWith("ap_", (string?)key["key"], StringComparison.Ordinal);
        Assert.Equal(["profile", "api_keys:read"], key["permissions"]!.AsArray().Select(p => (string?)p));
        Assert.NotNull(key["expires_at"]);
        var id = (string)key["id"]!;

        var rotated = Server.Json((await RunAsync("keys", "rotate", id, "--json")).Out);
        Assert.NotEqual(id, (string?)rotated["id"]);
        Assert.StartsWith("ap_", (string?)rotated["key"], StringComparison.Ordinal);

        var revoked = await RunAsync("keys", "revoke", (string)rotated["id"]!, "--json");
        Assert.Equal(ExitCodes.Ok, revoked.Code);
        Assert.NotNull(Server.Json(revoked.Out)["revoked_at"]);

        var list = JsonNode.Parse((await RunAsync("keys", "list", "--json")).Out)!.AsArray();
        Assert.Equal(2, list.Count);
        Assert.All(list, k => Assert.Null(k!["key"])); // the secret is shown once, never listed
        Assert.All(list, k => Assert.NotNull(k!["revoked_at"]));

        var table = await RunAsync("keys", "list");
        Assert.StartsWith("ID", table.Out, StringComparison.Ordinal);
        Assert.Contains("ci deploy", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_AccountWithTwoFactorAndNoFreshProof_ExitsForbiddenUntilACodeIsGiven()
    {
        using var registrar = server.NewClient();
        var email = await server.RegisterAsync(registrar);
        var secret = await EnableTwoFactorAsync(email);
        await LoginAsync(email, () => IndependentTotp.Code(secret, server.Clock.GetUtcNow()));
        server.Clock.Advance(TimeSpan.FromMinutes(11)); // the sign-in's second factor is no longer fresh proof

        var refused = await RunAsync("keys", "create", "--name", "needs 2fa", "--scope", "profile");
        Assert.Equal(ExitCodes.Forbidden, refused.Code);
        Assert.Contains("(mfa_required)", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--code", refused.Err, StringComparison.Ordinal);
        Assert.Equal(string.Empty, refused.Out);

        var json = await RunAsync("keys", "create", "--name", "needs 2fa", "--scope", "profile", "--json");
        Assert.Equal(ExitCodes.Forbidden, json.Code);
        Assert.Equal("mfa_required", (string?)Server.Json(json.Err)["error"]!["code"]);

        var allowed = await RunAsync("keys", "create", "--name", "needs 2fa", "--scope", "profile", "--code", IndependentTotp.Code(secret, server.Clock.GetUtcNow()), "--json");
        Assert.Equal(ExitCodes.Ok, allowed.Code);
    }

    [Fact]
    public async Task SessionsAndTwoFactor_ListRevokeStatus()
    {
        var email = await LoginAsync();
        using var other = server.NewClient();
        Assert.IsType<SignInResult.Completed>(await other.SignInAsync(email, Server.Password));

        var sessions = JsonNode.Parse((await RunAsync("sessions", "list", "--json")).Out)!.AsArray();
        Assert.Single(sessions, s => (bool)s!["current"]!);
        var others = sessions.Where(s => !(bool)s!["current"]!).Select(s => (string)s!["id"]!).ToList();
        Assert.NotEmpty(others);
        foreach (var id in others)
        {
            Assert.Equal(ExitCodes.Ok, (await RunAsync("sessions", "revoke", id)).Code);
        }

        await Assert.ThrowsAsync<AuthPlatformSessionEndedException>(() => other.Api.Api.V1.Auth.Me.GetAsync().ContinueWith(_ => other.RefreshAsync()).Unwrap());
        Assert.Single(JsonNode.Parse((await RunAsync("sessions", "list", "--json")).Out)!.AsArray());

        var status = await RunAsync("2fa", "status", "--json");
        Assert.Equal(ExitCodes.Ok, status.Code);
        Assert.False((bool)Server.Json(status.Out)["enabled"]!);
        Assert.Contains("2fa:", (await RunAsync("2fa", "status")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredAccessTokenExpired_IsRefreshedAutomaticallyAndSaved()
    {
        await LoginAsync();
        var before = await ExpireStoredAccessTokenAsync();

        Assert.Equal(ExitCodes.Ok, (await RunAsync("whoami")).Code);

        var after = Server.Json(await File.ReadAllTextAsync(Path.Combine(_config, CredentialsFile.FileName)))["tokens"]!;
        Assert.NotEqual(before, (string?)after["refresh_token"]);
        Assert.True(DateTimeOffset.Parse((string)after["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Logout_RevokesTheRefreshTokenAndDeletesTheFile()
    {
        await LoginAsync();
        var refreshToken = (string)Server.Json(await File.ReadAllTextAsync(Path.Combine(_config, CredentialsFile.FileName)))["tokens"]!["refresh_token"]!;

        var logout = await RunAsync("logout");
        Assert.Equal(ExitCodes.Ok, logout.Code);
        Assert.False(File.Exists(Path.Combine(_config, CredentialsFile.FileName)));

        using var http = new HttpClient(server.Handler, disposeHandler: false) { BaseAddress = new Uri(Server.BaseUrl) };
        var refresh = await http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = CliApp.BuiltInClientId,
        }));
        Assert.Equal("invalid_grant", (string?)Server.Json(await refresh.Content.ReadAsStringAsync())["error"]);

        var whoami = await RunAsync("whoami");
        Assert.Equal(ExitCodes.NotSignedIn, whoami.Code);
        Assert.Contains("authplatform login", whoami.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginDenied_ExitsWithAnApiErrorAndStoresNothing()
    {
        using var registrar = server.NewClient();
        var email = await server.RegisterAsync(registrar);
        var run = StartLogin();
        var authorization = await WaitForCodeAsync(run);
        await server.DecideOnTheDevicePageAsync(authorization, email, "deny");

        var result = await run.Task;
        Assert.Equal(ExitCodes.ApiError, result.Code);
        Assert.Contains("(access_denied)", result.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_config, CredentialsFile.FileName)));
    }

    [Fact]
    public async Task ExitCodes_UsageNotSignedInUnreachableAndApiKey()
    {
        Assert.Equal(ExitCodes.Usage, (await RunAsync("keys", "frobnicate")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("keys", "revoke", "not-a-guid")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(["whoami"], url: null)).Code); // no server anywhere
        var notSignedIn = await RunAsync(["whoami", "--json"]);
        Assert.Equal(ExitCodes.NotSignedIn, notSignedIn.Code);
        Assert.Equal("not_signed_in", (string?)Server.Json(notSignedIn.Err)["error"]!["code"]);

        var unreachable = await RunAsync(["whoami"], url: "http://127.0.0.1:1", variables: new() { ["AUTHPLATFORM_API_KEY"] = "ap_x" }, handler: new SocketsHttpHandler());
        Assert.Equal(ExitCodes.Unavailable, unreachable.Code);
        Assert.StartsWith("error: The server could not be reached", unreachable.Err, StringComparison.Ordinal);

        var badKey = await RunAsync(["whoami"], variables: new() { ["AUTHPLATFORM_API_KEY"] = "ap_notarealkey" });
        Assert.Equal(ExitCodes.NotSignedIn, badKey.Code);
        Assert.Contains("(invalid_api_key)", badKey.Err, StringComparison.Ordinal);

        await LoginAsync();
        var key = (string)Server.Json((await RunAsync("keys", "create", "--name", "script", "--scope", "profile", "api_keys:read", "--json")).Out)["key"]!;
        var withKey = await RunAsync(["keys", "list", "--json"], variables: new() { ["AUTHPLATFORM_API_KEY"] = key });
        Assert.Equal(ExitCodes.Ok, withKey.Code);
        var forbidden = await RunAsync(["sessions", "list"], variables: new() { ["AUTHPLATFORM_API_KEY"] = key });
        Assert.Equal(ExitCodes.Forbidden, forbidden.Code);
    }

    private sealed record Result(int Code, string Out, string Err);

    private Task<Result> RunAsync(params string[] args) => RunAsync(args, Server.BaseUrl);

    private async Task<Result> RunAsync(
        string[] args, string? url = Server.BaseUrl, Dictionary<string, string>? variables = null, HttpMessageHandler? handler = null, TextWriter? err = null)
    {
        var output = new StringWriter();
        var error = err ?? new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            Variable = name => variables?.GetValueOrDefault(name),
            ConfigDirectory = _config,
            OpenBrowser = _ => false,
            Handler = handler ?? server.Handler,
        };
        var code = await CliApp.RunAsync(url is null ? args : [.. args, "--url", url], env);
        return new Result(code, output.ToString(), error.ToString()!);
    }

    /// <summary><c>authplatform login --no-browser</c>, running; its stderr is readable while it waits.</summary>
    private (Task<Result> Task, StringWriter Err) StartLogin()
    {
        var err = new SynchronizedStringWriter();
        return (Task.Run(() => RunAsync(["login", "--no-browser"], err: err)), err);
    }

    private static async Task<DeviceAuthorization> WaitForCodeAsync((Task<Result> Task, StringWriter Err) run)
    {
        for (var i = 0; i < 200 && !run.Err.ToString().Contains("Waiting", StringComparison.Ordinal); i++)
        {
            Assert.False(run.Task.IsCompleted, run.Task.IsCompleted ? run.Task.Result.Err : null);
            await Task.Delay(50);
        }

        var text = run.Err.ToString();
        var link = System.Text.RegularExpressions.Regex.Match(text, @"Open (\S+) in a browser").Groups[1].Value;
        var code = System.Text.RegularExpressions.Regex.Match(text, "the code ([A-Z]{4}-[A-Z]{4})").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(link) || string.IsNullOrEmpty(code), text);
        return new DeviceAuthorization(CliApp.BuiltInClientId, null, "-", code, new Uri(link), new Uri(link), DateTimeOffset.UtcNow.AddMinutes(10), TimeSpan.FromSeconds(1));
    }

    /// <summary>A new user approves <c>authplatform login</c> on the device pages; answers the user's address.</summary>
    private async Task<string> LoginAsync(string? email = null, Func<string>? secondFactorCode = null)
    {
        await using (var scope = server.Services.CreateAsyncScope())
        {
            await StartupTasks.EnsureCliClientAsync(scope.ServiceProvider); // on by default: registered at start-up
        }

        using var registrar = server.NewClient();
        email ??= await server.RegisterAsync(registrar);
        var run = StartLogin();
        var authorization = await WaitForCodeAsync(run);
        await server.DecideOnTheDevicePageAsync(authorization, email, secondFactorCode: secondFactorCode);
        var result = await run.Task;
        Assert.True(result.Code == ExitCodes.Ok, result.Err);
        Assert.Contains("Signed in to", result.Out, StringComparison.Ordinal);
        return email;
    }

    private async Task<string> EnableTwoFactorAsync(string email)
    {
        using var session = server.NewClient();
        Assert.IsType<SignInResult.Completed>(await session.SignInAsync(email, Server.Password));
        var setup = await session.Api.Api.V1.Auth.Twofa.Setup.PostAsync(new TwoFactorSetupRequest { CurrentPassword = Server.Password });
        await session.Api.Api.V1.Auth.Twofa.Enable.PostAsync(
            new TwoFactorEnableRequest { Code = IndependentTotp.Code(setup!.Secret!, server.Clock.GetUtcNow()), CurrentPassword = Server.Password });
        server.Clock.Advance(TimeSpan.FromSeconds(30)); // the next code is another one
        return setup.Secret!;
    }

    /// <summary>Moves the stored access token's expiry into the past; answers the stored refresh token.</summary>
    private async Task<string> ExpireStoredAccessTokenAsync()
    {
        var path = Path.Combine(_config, CredentialsFile.FileName);
        var stored = Server.Json(await File.ReadAllTextAsync(path));
        stored["tokens"]!["expires_at"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        await File.WriteAllTextAsync(path, stored.ToJsonString());
        return (string)stored["tokens"]!["refresh_token"]!;
    }

    private sealed class SynchronizedStringWriter : StringWriter
    {
        private readonly Lock _lock = new();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }

        public override string ToString()
        {
            // (never null: a StringWriter's text)
            lock (_lock)
            {
                return base.ToString();
            }
        }
    }
}
