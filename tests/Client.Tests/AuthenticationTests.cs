using AuthPlatform.Client.Generated.Models;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Client.Tests;

/// <summary>The hand-written authentication around the generated client, against the real server.</summary>
public sealed class AuthenticationTests(Server server) : IClassFixture<Server>
{
    private const string Refresh = "/api/v1/auth/refresh";
    private const string Token = "/oauth/token";

    [Fact]
    public async Task ClientCredentials_OneTokenRequestUntilShortlyBeforeExpiry_ThenOneMore()
    {
        var (user, _) = await server.SignedInAsync();
        using var _u = user;
        var account = await user.Api.Api.V1.ServiceAccounts.PostAsync(new CreateServiceAccountRequest { Name = "cached", Scopes = ["profile"] });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var counted = server.NewHandler();
        using var service = server.NewClient(
            o =>
            {
                (o.ClientId, o.ClientSecret, o.Clock) = (account!.ClientId, account.ClientSecret, clock);
                o.RefreshBefore = TimeSpan.FromMinutes(2);
            },
            counted);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => service.Api.Api.V1.Auth.Verify.GetAsync()));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("oauth", (await service.Api.Api.V1.Auth.Verify.GetAsync())!.Method);
        }

        Assert.Equal((1, 25), (counted.Count(Token), counted.Count("/api/v1/auth/verify")));
        var authorization = counted.Requests.First(r => r.RequestUri!.AbsolutePath == Token).Headers.Authorization;
        Assert.Equal("Basic", authorization!.Scheme);

        clock.Advance(TimeSpan.FromMinutes(57)); // 1 h token, 2 min early: not yet
        await service.Api.Api.V1.Auth.Verify.GetAsync();
        Assert.Equal(1, counted.Count(Token));
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => service.Api.Api.V1.Auth.Verify.GetAsync()));
        Assert.Equal(2, counted.Count(Token));
    }

    [Fact]
    public async Task ExpiredStoredToken_ManyParallelCalls_ExactlyOneRefresh_AllSucceed()
    {
        var (signedIn, _) = await server.SignedInAsync();
        using var _s = signedIn;
        var tokens = (await signedIn.TokenStore.LoadAsync(default))!;
        // The client's view: the access token is past its expiry (the server would still accept it).
        var store = new InMemoryTokenStore(tokens with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        using var counted = server.NewHandler();
        using var client = server.NewClient(o => o.TokenStore = store, counted);

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => client.Api.Api.V1.Auth.Me.GetAsync()));

        Assert.All(answers, me => Assert.Equal("jwt", me!.Auth!.Method));
        Assert.Equal(1, counted.Count(Refresh));
        var refreshed = (await store.LoadAsync(default))!;
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        Assert.True(refreshed.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(30));
        var sent = counted.Requests.Where(r => r.RequestUri!.AbsolutePath == "/api/v1/auth/me").Select(r => r.Headers.Authorization!.Parameter).Distinct();
        Assert.Equal(refreshed.AccessToken, Assert.Single(sent));
    }

    [Fact]
    public async Task RefreshRefused_ClearsTheStore_AndSaysSignInAgain()
    {
        var (signedIn, _) = await server.SignedInAsync();
        using var _s = signedIn;
        var tokens = (await signedIn.TokenStore.LoadAsync(default))!;
        await signedIn.SignOutAsync(); // the session ends on the server
        Assert.Null(await signedIn.TokenStore.LoadAsync(default));

        var store = new InMemoryTokenStore(tokens with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        using var counted = server.NewHandler();
        using var client = server.NewClient(o => o.TokenStore = store, counted);
        var calls = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Assert.ThrowsAsync<AuthPlatformSessionEndedException>(() => client.Api.Api.V1.Auth.Me.GetAsync())));

        Assert.All(calls, e => Assert.Contains("sign in again", e.Message, StringComparison.Ordinal));
        Assert.Equal((401, "invalid_token"), (calls[0].Status, calls[0].Code));
        Assert.Equal(1, counted.Count(Refresh));
        Assert.Equal(0, counted.Count("/api/v1/auth/me"));
        Assert.Null(await store.LoadAsync(default));
    }

    [Fact]
    public async Task NotSignedIn_NoCredentialSent_ServerSaysUnauthenticated()
    {
        using var counted = server.NewHandler();
        using var client = server.NewClient(handler: counted);
        var e = await Assert.ThrowsAsync<AuthPlatformException>(() => client.Api.Api.V1.Auth.Me.GetAsync());
        Assert.Equal((401, "unauthenticated"), (e.Status, e.Code));
        Assert.Contains("GET /api/v1/auth/me answered 401 unauthenticated", e.Message, StringComparison.Ordinal);
        var sent = Assert.Single(counted.Requests);
        Assert.Null(sent.Headers.Authorization);
        Assert.False(sent.Headers.Contains("X-API-Key"));
        Assert.Equal(0, counted.Count("/api/v1/auth/refresh"));
    }

    [Fact]
    public async Task Errors_AreProblemsWithCodeAndRetryAfter()
    {
        using var client = server.NewClient();
        var email = await server.RegisterAsync(client);
        var conflict = await Assert.ThrowsAsync<AuthPlatformException>(() => server.RegisterAsync(client, email));
        Assert.Equal((409, "conflict"), (conflict.Status, conflict.Code));
        var wrong = await Assert.ThrowsAsync<AuthPlatformException>(() => client.SignInAsync(email, "not the password at all"));
        Assert.Equal((401, "invalid_credentials"), (wrong.Status, wrong.Code));
        Assert.Null(await client.TokenStore.LoadAsync(default));
    }

    [Fact]
    public async Task DeviceGrant_ApprovedOnThePage_TokensStoredRefreshedAndRevokedOnSignOut()
    {
        var clientId = await server.NewDeviceClientAsync();
        using var helper = server.NewClient();
        var email = await server.RegisterAsync(helper);
        using var counted = server.NewHandler();
        using var device = server.NewClient(handler: counted);

        var authorization = await device.StartDeviceAuthorizationAsync(clientId, "openid profile");
        Assert.Equal(TimeSpan.FromSeconds(1), authorization.Interval);
        var waiting = device.WaitForDeviceAuthorizationAsync(authorization);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(waiting.IsCompleted);
        await server.DecideOnTheDevicePageAsync(authorization, email);
        var tokens = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((TokenKind.OAuth, clientId), (tokens.Kind, tokens.ClientId));
        Assert.NotNull(tokens.RefreshToken);
        Assert.Equal(tokens, await device.TokenStore.LoadAsync(default));
        Assert.True(counted.Count(Token) >= 2); // authorization_pending at least once
        var me = await device.Api.Api.V1.Auth.Me.GetAsync();
        Assert.Equal(("oauth", clientId), (me!.Auth!.Method, me.Auth.ClientId));

        // An OAuth refresh: grant_type=refresh_token with the client id.
        await device.TokenStore.SaveAsync(tokens with { ExpiresAt = DateTimeOffset.UtcNow }, default);
        var polls = counted.Count(Token);
        await device.Api.Api.V1.Auth.Me.GetAsync();
        Assert.Equal(polls + 1, counted.Count(Token));
        var refreshed = (await device.TokenStore.LoadAsync(default))!;
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);

        await device.SignOutAsync();
        Assert.Equal(1, counted.Count("/oauth/revoke"));
        Assert.Null(await device.TokenStore.LoadAsync(default));
        using var replay = server.NewClient(o => o.TokenStore = new InMemoryTokenStore(refreshed with { ExpiresAt = DateTimeOffset.UtcNow }));
        var ended = await Assert.ThrowsAsync<AuthPlatformSessionEndedException>(() => replay.Api.Api.V1.Auth.Me.GetAsync());
        Assert.Equal((400, "invalid_grant"), (ended.Status, ended.Code));
    }

    [Fact]
    public async Task DeviceGrant_Denied_AccessDenied()
    {
        var clientId = await server.NewDeviceClientAsync();
        using var helper = server.NewClient();
        var email = await server.RegisterAsync(helper);
        using var device = server.NewClient();
        var authorization = await device.StartDeviceAuthorizationAsync(clientId, null);
        var waiting = device.WaitForDeviceAuthorizationAsync(authorization);
        await server.DecideOnTheDevicePageAsync(authorization, email, "deny");

        var denied = await Assert.ThrowsAsync<AuthPlatformOAuthException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("access_denied", denied.Error);
        Assert.Null(await device.TokenStore.LoadAsync(default));
    }

    [Fact]
    public async Task SignOut_Session_LogsOutOnTheServer()
    {
        var (client, _) = await server.SignedInAsync();
        using var _c = client;
        var tokens = (await client.TokenStore.LoadAsync(default))!;
        await client.SignOutAsync();
        Assert.Null(await client.TokenStore.LoadAsync(default));
        var refused = await Assert.ThrowsAsync<AuthPlatformException>(
            () => client.Api.Api.V1.Auth.Refresh.PostAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken }));
        Assert.Equal((401, "invalid_token"), (refused.Status, refused.Code));
    }

    [Fact]
    public async Task GeneratedLogin_AnswersTheSession()
    {
        // The generated call as it is (no hand-written reading): the document's login answer is one object, told apart by mfa_required.
        using var client = server.NewClient();
        var email = await server.RegisterAsync(client);
        var answer = await client.Api.Api.V1.Auth.Login.PostAsync(new LoginRequest { Email = email, Password = Server.Password });
        Assert.False(answer!.MfaRequired);
        Assert.Null(answer.MfaToken);
        Assert.Equal(3, answer.Token!.Split('.').Length);
        Assert.NotNull(answer.RefreshToken);
        Assert.Equal(("Bearer", email), (answer.TokenType, answer.User?.Email));
    }

    [Fact]
    public async Task GeneratedLogin_AnswersTheChallenge_WhenTwoFactorIsOn()
    {
        var (user, email) = await server.SignedInAsync();
        using var _u = user;
        var setup = await user.Api.Api.V1.Auth.Twofa.Setup.PostAsync(new TwoFactorSetupRequest { CurrentPassword = Server.Password });
        server.Clock.Advance(TimeSpan.FromSeconds(30)); // a step of its own: each code is accepted once
        await user.Api.Api.V1.Auth.Twofa.Enable.PostAsync(
            new TwoFactorEnableRequest { Code = IndependentTotp.Code(setup!.Secret!, server.Clock.GetUtcNow()), CurrentPassword = Server.Password });

        using var client = server.NewClient();
        var answer = await client.Api.Api.V1.Auth.Login.PostAsync(new LoginRequest { Email = email, Password = Server.Password });
        Assert.True(answer!.MfaRequired);
        Assert.False(string.IsNullOrEmpty(answer.MfaToken));
        Assert.Equal(300, answer.ExpiresIn);
        Assert.Null(answer.Token);
        Assert.Null(answer.RefreshToken);
        Assert.Null(answer.User);
    }
}

/// <summary>An access token the server finds expired before the client's clock says so: one refresh, the call goes again. A server of its own: its clock moves.</summary>
public sealed class ServerSideExpiryTests(Server server) : IClassFixture<Server>
{
    [Fact]
    public async Task Unauthorized_TokenExpired_OneRefresh_RequestRepeated()
    {
        var (signedIn, _) = await server.SignedInAsync();
        using var _s = signedIn;
        var tokens = (await signedIn.TokenStore.LoadAsync(default))!;
        var store = new InMemoryTokenStore(tokens with { ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        using var counted = server.NewHandler();
        using var client = server.NewClient(o => o.TokenStore = store, counted);
        server.Clock.Advance(TimeSpan.FromHours(2));

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.Api.Api.V1.Auth.ApiKeys.PostAsync(new CreateApiKeyRequest { Name = $"after expiry {i}", Permissions = ["profile"] })));

        Assert.All(created, k => Assert.StartsWith("ap_", k!.Key, StringComparison.Ordinal));
        Assert.Equal(1, counted.Count("/api/v1/auth/refresh"));
        Assert.Equal(12, counted.Count("/api/v1/auth/api-keys")); // each refused once, then sent again with its body
        Assert.NotEqual(tokens.AccessToken, (await store.LoadAsync(default))!.AccessToken);
    }
}
