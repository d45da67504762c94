using System.Net;
using AuthPlatform.Application.OAuth.Clients.EnsureCliClient;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Integration.Tests.Infrastructure;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// ADR 0019: the server's built-in client of the <c>authplatform</c> CLI works without anyone registering it,
/// and a user's token from it manages the account like a signed-in session (first-party), while a
/// third-party app's token still cannot; configuration can take the client away.
/// </summary>
public abstract class CliClientTests<TFixture>(TFixture fixture) : DeviceFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string CliScopes = "profile api_keys:read api_keys:write";

    private static readonly App Cli = new(BuiltInClients.CliClientId, null, "public");

    /// <summary>The reset empties every table, the built-in client's too: registered again, as a start-up does.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var scope = Factory.Services.CreateAsyncScope();
        await WebApi.Startup.StartupTasks.EnsureCliClientAsync(scope.ServiceProvider);
    }

    [Fact]
    public async Task BuiltInCliClient_DeviceGrantApprovedOnThePages_TokenManagesKeysSessionsAndTwoFactor()
    {
        var start = await StartAsync(Cli, CliScopes);
        var (email, _) = await DecideOnThePageAsync(start);
        Factory.Clock.Advance(TimeSpan.FromSeconds(start.Interval));
        var tokens = (await PollAsync(Cli, start.DeviceCode)).Value!;
        Assert.Equal(CliScopes, tokens.Scope);
        Assert.NotNull(tokens.RefreshToken);
        var token = tokens.AccessToken;

        var me = await ReadObjectAsync(await GetAsync("/api/v1/auth/me", token));
        Assert.Null(me["email"]); // the CLI asks for no email scope
        Assert.Equal("oauth", Str(me["auth"], "method"));
        Assert.Equal(BuiltInClients.CliClientId, Str(me["auth"], "client_id"));

        var twoFactor = await GetAsync("/api/v1/auth/2fa", token);
        Assert.Equal(HttpStatusCode.OK, twoFactor.StatusCode);

        var created = await PostJsonAsync("/api/v1/auth/api-keys", new { name = "from the cli", permissions = new[] { "profile" } }, token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var keyId = Str(await ReadObjectAsync(created), "id");
        Assert.Equal(HttpStatusCode.Created, (await PostJsonAsync($"/api/v1/auth/api-keys/{keyId}/rotate", new { }, token)).StatusCode);
        Assert.Equal(2, (await ReadArrayAsync(await GetAsync("/api/v1/auth/api-keys", token))).Count);

        var other = await LoginAsync(email);
        var sessions = await ReadArrayAsync(await GetAsync("/api/v1/auth/sessions", token));
        var current = Assert.Single(sessions, s => (bool)s!["current"]!);
        Assert.True(sessions.Count >= 2); // the browser's sign-in on the verification page is one too
        foreach (var otherSession in sessions.Where(s => !(bool)s!["current"]!))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"/api/v1/auth/sessions/{Str(otherSession, "id")}", token)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/auth/sessions", Str(other, "token"))).StatusCode);

        var grants = await ReadArrayAsync(await GetAsync("/api/v1/auth/grants", token));
        Assert.Equal(BuiltInClients.CliName, Str(Assert.Single(grants), "client_name"));

        // Its session is the grant's family: revoked, the token stops on these calls at once.
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"/api/v1/auth/sessions/{Str(current, "id")}", token)).StatusCode);
        await AssertProblemAsync(await GetAsync("/api/v1/auth/2fa", token), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task ThirdPartyDeviceApp_UserToken_IsRefusedOnAccountCalls()
    {
        var app = await NewDeviceAppAsync(scopes: ["profile", "api_keys:read"]);
        var start = await StartAsync(app, "profile api_keys:read");
        await DecideOnThePageAsync(start);
        Factory.Clock.Advance(TimeSpan.FromSeconds(start.Interval));
        var token = (await PollAsync(app, start.DeviceCode)).Value!.AccessToken;

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/me", token)).StatusCode);
        await AssertProblemAsync(await GetAsync("/api/v1/auth/sessions", token), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/api-keys", token), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/2fa", token), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task BuiltInCliClient_TwoFactorUserAfterTenMinutes_KeyCreationNeedsTheCodeHeader()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var secret = await EnableTwoFactorAsync(email);
        var start = await StartAsync(Cli, CliScopes);
        using var browser = NewBrowserAt();
        var login = await browser.GetAsync(new Uri(start.VerificationUriComplete).PathAndQuery);
        var challenge = await SubmitAsync(browser, login, ("email", email), ("password", Password));
        var signedIn = await SubmitAsync(browser, challenge, ("code", IndependentTotp.Code(secret, Factory.Clock.GetUtcNow())));
        var entry = await browser.GetAsync(signedIn.Headers.Location);
        var consent = await EnterCodeAsync(browser, entry, start.UserCode);
        Assert.Contains(BuiltInClients.CliName, await consent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, consent, ("decision", "approve"))).StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(start.Interval));
        var token = (await PollAsync(Cli, start.DeviceCode)).Value!.AccessToken;

        Factory.Clock.Advance(TimeSpan.FromMinutes(11));
        await AssertProblemAsync(
            await PostJsonAsync("/api/v1/auth/api-keys", new { name = "late", permissions = new[] { "profile" } }, token), HttpStatusCode.Forbidden, "mfa_required");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = "late", permissions = new[] { "profile" } }),
        };
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("X-2FA-Code", IndependentTotp.Code(secret, Factory.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Created, (await Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task BuiltInCliClient_ListedForAnAdministratorWithoutOwner_CannotBeChangedOrDeletedOverTheApi()
    {
        var admin = Str(await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword), "token");
        var listed = await ReadArrayAsync(await GetAsync("/api/v1/oauth/clients", admin));
        var cli = Assert.Single(listed, c => Str(c, "client_id") == BuiltInClients.CliClientId)!;
        Assert.Null(cli["owner_id"]);
        Assert.True((bool)cli["first_party"]!);
        Assert.Equal("public", Str(cli, "type"));

        await AssertProblemAsync(await DeleteAsync($"/api/v1/oauth/clients/{Str(cli, "id")}", admin), HttpStatusCode.Forbidden, "forbidden");
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/oauth/clients/{Str(cli, "id")}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = "Evil CLI" }),
        };
        patch.Headers.Authorization = new("Bearer", admin);
        await AssertProblemAsync(await Client.SendAsync(patch), HttpStatusCode.Forbidden, "forbidden");
        var (_, user) = await NewSessionAsync();
        Assert.DoesNotContain(await ReadArrayAsync(await GetAsync("/api/v1/oauth/clients", Str(user, "token"))), c => Str(c, "client_id") == BuiltInClients.CliClientId);
    }

    [Fact]
    public async Task BuiltInCliClient_DisabledInConfiguration_IsGoneWithItsSessionsAndComesBackWhenEnabled()
    {
        var start = await StartAsync(Cli, CliScopes);
        await DecideOnThePageAsync(start);
        Factory.Clock.Advance(TimeSpan.FromSeconds(start.Interval));
        var tokens = (await PollAsync(Cli, start.DeviceCode)).Value!;

        Assert.Equal(CliClientOutcome.Removed, await EnsureAsync(enabled: false));
        Assert.Equal(CliClientOutcome.Unchanged, await EnsureAsync(enabled: false));

        Assert.Equal(HttpStatusCode.Unauthorized, (await DeviceAuthorizationAsync(Cli, CliScopes)).StatusCode);
        Assert.Equal("invalid_client", (await ToResultAsync(RefreshAtTokenEndpointAsync(Cli, tokens.RefreshToken!))).Error!.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyStatusAsync(tokens.AccessToken));

        Assert.Equal(CliClientOutcome.Registered, await EnsureAsync(enabled: true));
        Assert.Equal(CliClientOutcome.Unchanged, await EnsureAsync(enabled: true));
        Assert.Equal(HttpStatusCode.OK, (await DeviceAuthorizationAsync(Cli, CliScopes)).StatusCode);
        Assert.Equal("invalid_grant", (await ToResultAsync(RefreshAtTokenEndpointAsync(Cli, tokens.RefreshToken!))).Error!.Code);
    }

    private async Task<CliClientOutcome> EnsureAsync(bool enabled)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new EnsureCliClientCommand(enabled));
        return result.Value;
    }

    private static async Task<Application.Common.Results.Result<Application.OAuth.Common.TokenResponse>> ToResultAsync(Task<HttpResponseMessage> response) =>
        ToResult(await response);

    private async Task<HttpStatusCode> VerifyStatusAsync(string token) => (await GetAsync("/api/v1/auth/verify", token)).StatusCode;
}

public sealed class CliClientTestsOnSqlite(SqliteApiFixture fixture) : CliClientTests<SqliteApiFixture>(fixture);

public sealed class CliClientTestsOnPostgres(PostgresApiFixture fixture) : CliClientTests<PostgresApiFixture>(fixture);
