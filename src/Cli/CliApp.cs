// Longer than 150 lines because it holds the whole command tree: each command is a handful of lines over the SDK.
using System.CommandLine;
using System.Text.Json.Nodes;
using AuthPlatform.Client;
using AuthPlatform.Client.Generated.Models;

namespace AuthPlatform.Cli;

/// <summary>
/// The <c>authplatform</c> command line: parses <c>args</c>, runs the command over the SDK and answers an exit code
/// (<see cref="ExitCodes"/>). Everything it touches comes from <see cref="CliEnvironment"/>, so tests run it in-process.
/// </summary>
public static class CliApp
{
    /// <summary>The server's built-in client of this tool (ADR 0019); <c>--client-id</c> or <c>AUTHPLATFORM_CLIENT_ID</c> name another.</summary>
    public const string BuiltInClientId = "oc_AuthPlatformCommandLine";

    /// <summary>What the login asks for: the account and the user's API keys.</summary>
    public const string DefaultScope = "profile api_keys:read api_keys:write";

    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print results (and errors, on stderr) as JSON.", Recursive = true };

    private static readonly Option<string?> UrlOption = new("--url")
    {
        Description = "The server, e.g. https://auth.example.com (default: AUTHPLATFORM_URL, else the server of the last login).",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        var root = Build(env);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var output = new Output(env, parsed.GetValue(JsonOption));
            output.Error(ExitCodes.Usage, string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.'))) + ". See 'authplatform --help'.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false }, ct);
    }

    private static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("authplatform: sign in to an AuthPlatform server and manage your API keys and sessions.") { JsonOption, UrlOption };

        var clientId = new Option<string?>("--client-id") { Description = $"The OAuth client to sign in with (default: AUTHPLATFORM_CLIENT_ID, else the server's built-in {BuiltInClientId})." };
        var scope = new Option<string?>("--scope") { Description = $"The scopes to ask for (default: {DefaultScope})." };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Do not open a browser; only print the link and the code." };
        var login = new Command("login", "Sign in through your browser (OAuth 2.0 device authorization grant) and keep the tokens.") { clientId, scope, noBrowser };
        login.SetAction((p, ct) => Run(env, p, (ctx, c) => LoginAsync(ctx, p.GetValue(clientId), p.GetValue(scope), p.GetValue(noBrowser), c), ct, needsCredentials: false));

        var logout = new Command("logout", "Revoke the stored tokens on the server and delete them.");
        logout.SetAction((p, ct) => Run(env, p, LogoutAsync, ct, needsCredentials: false));

        var whoami = new Command("whoami", "Show who you are signed in as.");
        whoami.SetAction((p, ct) => Run(env, p, WhoAmIAsync, ct));

        root.Subcommands.Add(login);
        root.Subcommands.Add(logout);
        root.Subcommands.Add(whoami);
        root.Subcommands.Add(KeysCommand(env));
        root.Subcommands.Add(SessionsCommand(env));
        root.Subcommands.Add(TwoFactorCommand(env));
        return root;
    }

    private static Command KeysCommand(CliEnvironment env)
    {
        var code = new Option<string?>("--code") { Description = "A current 2FA code, for accounts with 2FA on (else you are asked for it)." };
        var list = new Command("list", "List your API keys.");
        list.SetAction((p, ct) => Run(env, p, KeysListAsync, ct));

        var name = new Option<string>("--name") { Description = "What the key is for.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A permission of the key (repeat, or list them).", Required = true, AllowMultipleArgumentsPerToken = true };
        var expiresIn = new Option<TimeSpan?>("--expires-in") { Description = "Lifetime, e.g. 30.00:00:00 (30 days) or 12:00:00; default: no expiry." };
        var create = new Command("create", "Create an API key; its secret is shown once.") { name, scopes, expiresIn, code };
        create.SetAction((p, ct) => Run(env, p, (ctx, c) => KeysCreateAsync(ctx, p.GetValue(name)!, p.GetValue(scopes)!, p.GetValue(expiresIn), p.GetValue(code), c), ct));

        var rotateId = new Argument<Guid>("id") { Description = "The key's id." };
        var rotate = new Command("rotate", "Replace a key by a new one (same name and permissions); the new secret is shown once.") { rotateId, code };
        rotate.SetAction((p, ct) => Run(env, p, (ctx, c) => KeysRotateAsync(ctx, p.GetValue(rotateId), p.GetValue(code), c), ct));

        var revokeId = new Argument<Guid>("id") { Description = "The key's id." };
        var revoke = new Command("revoke", "Revoke a key: it stops working at once.") { revokeId };
        revoke.SetAction((p, ct) => Run(env, p, (ctx, c) => KeysRevokeAsync(ctx, p.GetValue(revokeId), c), ct));

        return new Command("keys", "Your API keys.") { list, create, rotate, revoke };
    }

    private static Command SessionsCommand(CliEnvironment env)
    {
        var list = new Command("list", "List your live sessions (this login's is marked current).");
        list.SetAction((p, ct) => Run(env, p, SessionsListAsync, ct));
        var id = new Argument<Guid>("id") { Description = "The session's id." };
        var revoke = new Command("revoke", "End a session: its tokens stop at once.") { id };
        revoke.SetAction((p, ct) => Run(env, p, (ctx, c) => SessionsRevokeAsync(ctx, p.GetValue(id), c), ct));
        return new Command("sessions", "Your sessions.") { list, revoke };
    }

    private static Command TwoFactorCommand(CliEnvironment env)
    {
        var status = new Command("status", "Is two-factor authentication on, and how many recovery codes are left?");
        status.SetAction((p, ct) => Run(env, p, TwoFactorStatusAsync, ct));
        return new Command("2fa", "Two-factor authentication.") { status };
    }

    private static async Task<int> LoginAsync(Context ctx, string? clientId, string? scope, bool noBrowser, CancellationToken ct)
    {
        clientId ??= Text(ctx.Env.Variable("AUTHPLATFORM_CLIENT_ID")) ?? BuiltInClientId;
        var authorization = await ctx.Client.StartDeviceAuthorizationAsync(clientId, scope ?? DefaultScope, ct);
        var link = authorization.VerificationUriComplete ?? authorization.VerificationUri;
        ctx.Env.Error.WriteLine($"Open {link} in a browser, sign in and check that it shows the code {authorization.UserCode}.");
        if (!noBrowser && ctx.Env.OpenBrowser(link))
        {
            ctx.Env.Error.WriteLine("(A browser was opened.)");
        }

        ctx.Env.Error.WriteLine($"Waiting for the approval (the code expires at {Output.When(authorization.ExpiresAt)})...");
        var tokens = await ctx.Client.WaitForDeviceAuthorizationAsync(authorization, ct);
        var me = await ctx.Client.Api.Api.V1.Auth.Me.GetAsync(cancellationToken: ct);
        if (ctx.Output.Json)
        {
            ctx.Output.JsonObject(new JsonObject
            {
                ["signed_in"] = true, ["server"] = ctx.Server.AbsoluteUri, ["user_id"] = me?.Id?.ToString(), ["name"] = me?.Name,
                ["client_id"] = tokens.ClientId, ["scope"] = tokens.Scope, ["credentials"] = ctx.Store.Path,
            });
        }
        else
        {
            ctx.Output.Message($"Signed in to {ctx.Server} as {me?.Name ?? me?.Id?.ToString()}{(me?.Email is { } e ? $" <{e}>" : "")}. Tokens saved in {ctx.Store.Path}.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> LogoutAsync(Context ctx, CancellationToken ct)
    {
        if (await ctx.Store.LoadAsync(ct) is null)
        {
            ctx.Output.Message("Not signed in.");
            return ExitCodes.Ok;
        }

        await ctx.Client.SignOutAsync(ct);
        if (ctx.Output.Json)
        {
            ctx.Output.JsonObject(new JsonObject { ["signed_out"] = true });
        }
        else
        {
            ctx.Output.Message("Signed out: the tokens are revoked and deleted.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> WhoAmIAsync(Context ctx, CancellationToken ct)
    {
        var me = (await ctx.Client.Api.Api.V1.Auth.Me.GetAsync(cancellationToken: ct))!;
        if (ctx.Output.Json)
        {
            await ctx.Output.JsonAsync(me);
            return ExitCodes.Ok;
        }

        ctx.Output.Fields(
            ("server", ctx.Server.ToString()), ("id", me.Id?.ToString()), ("email", me.Email), ("name", me.Name), ("role", me.Role),
            ("2fa", me.TwoFactorEnabled == true ? "on" : "off"), ("signed in by", me.Auth?.Method), ("client", me.Auth?.ClientId),
            ("scopes", Output.List(me.Auth?.Scopes)));
        return ExitCodes.Ok;
    }

    private static async Task<int> KeysListAsync(Context ctx, CancellationToken ct)
    {
        var keys = (await ctx.Client.Api.Api.V1.Auth.ApiKeys.GetAsync(cancellationToken: ct))!;
        if (ctx.Output.Json)
        {
            await ctx.Output.JsonAsync(keys);
            return ExitCodes.Ok;
        }

        ctx.Output.Table(
            ["ID", "NAME", "PREFIX", "PERMISSIONS", "CREATED", "EXPIRES", "LAST USED", "REVOKED"],
            keys.Select(k => new[]
            {
                k.Id?.ToString(), k.Name, k.KeyPrefix, Output.List(k.Permissions), Output.When(k.CreatedAt), Output.When(k.ExpiresAt),
                Output.When(k.LastUsedAt), Output.When(k.RevokedAt),
            }),
            "No API keys.");
        return ExitCodes.Ok;
    }

    private static async Task<int> KeysCreateAsync(Context ctx, string name, string[] scopes, TimeSpan? expiresIn, string? code, CancellationToken ct)
    {
        var body = new CreateApiKeyRequest
        {
            Name = name,
            Permissions = scopes.SelectMany(s => s.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).ToList(),
            ExpiresAt = expiresIn is { } lifetime ? DateTimeOffset.UtcNow + lifetime : null,
        };
        var created = await StepUp.WithCodeAsync(ctx, code, c => ctx.Client.Api.Api.V1.Auth.ApiKeys.PostAsync(body, c is null ? null : SecondFactor.Code<Microsoft.Kiota.Abstractions.DefaultQueryParameters>(c), ct));
        return await ShowNewKeyAsync(ctx, created!);
    }

    private static async Task<int> KeysRotateAsync(Context ctx, Guid id, string? code, CancellationToken ct)
    {
        var created = await StepUp.WithCodeAsync(ctx, code, c => ctx.Client.Api.Api.V1.Auth.ApiKeys[id].Rotate.PostAsync(c is null ? null : SecondFactor.Code<Microsoft.Kiota.Abstractions.DefaultQueryParameters>(c), ct));
        return await ShowNewKeyAsync(ctx, created!);
    }

    private static async Task<int> ShowNewKeyAsync(Context ctx, ApiKeyCreatedResponse key)
    {
        if (ctx.Output.Json)
        {
            await ctx.Output.JsonAsync(key);
            return ExitCodes.Ok;
        }

        ctx.Output.Fields(
            ("id", key.Id?.ToString()), ("name", key.Name), ("prefix", key.KeyPrefix), ("permissions", Output.List(key.Permissions)),
            ("expires", Output.When(key.ExpiresAt)), ("key", key.Key));
        ctx.Output.Message("Copy the key now: it is not shown again.");
        return ExitCodes.Ok;
    }

    private static async Task<int> KeysRevokeAsync(Context ctx, Guid id, CancellationToken ct)
    {
        var key = (await ctx.Client.Api.Api.V1.Auth.ApiKeys[id].Revoke.PostAsync(cancellationToken: ct))!;
        if (ctx.Output.Json)
        {
            await ctx.Output.JsonAsync(key);
        }
        else
        {
            ctx.Output.Message($"Revoked {key.Name} ({key.KeyPrefix}) at {Output.When(key.RevokedAt)}.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> SessionsListAsync(Context ctx, CancellationToken ct)
    {
        var sessions = (await ctx.Client.Api.Api.V1.Auth.Sessions.GetAsync(cancellationToken: ct))!;
        if (ctx.Output.Json)
        {
            await ctx.Output.JsonAsync(sessions);
            return ExitCodes.Ok;
        }

        ctx.Output.Table(
            ["ID", "CURRENT", "CREATED", "LAST USED", "EXPIRES", "IP", "USER AGENT"],
            sessions.Select(s => new[]
            {
                s.Id?.ToString(), s.Current == true ? "*" : "", Output.When(s.CreatedAt), Output.When(s.LastUsedAt), Output.When(s.ExpiresAt), s.Ip, s.UserAgent,
            }),
            "No live sessions.");
        return ExitCodes.Ok;
    }

    private static async Task<int> SessionsRevokeAsync(Context ctx, Guid id, CancellationToken ct)
    {
        await ctx.Client.Api.Api.V1.Auth.Sessions[id].DeleteAsync(cancellationToken: ct);
        if (ctx.Output.Json)
        {
            ctx.Output.JsonObject(new JsonObject { ["revoked"] = id.ToString() });
        }
        else
        {
            ctx.Output.Message($"Session {id} ended.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> TwoFactorStatusAsync(Context ctx, CancellationToken ct)
    {
        var status = (await ctx.Client.Api.Api.V1.Auth.Twofa.GetAsync(cancellationToken: ct))!;
        if (ctx.Output.Json)
        {
            await ctx.Output.JsonAsync(status);
        }
        else
        {
            ctx.Output.Fields(("2fa", status.Enabled == true ? "on" : "off"), ("recovery codes left", status.RecoveryCodesLeft?.ToString()));
        }

        return ExitCodes.Ok;
    }

    private static Task<int> Run(
        CliEnvironment env, ParseResult parsed, Func<Context, CancellationToken, Task<int>> command, CancellationToken ct, bool needsCredentials = true) =>
        Context.RunAsync(env, parsed.GetValue(JsonOption), parsed.GetValue(UrlOption), needsCredentials, command, ct);

    internal static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
