using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Client.Generated.Models;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthPlatform.Client.Tests;

/// <summary>
/// The real AuthPlatform server (WebApi, migrations and all) in-process over a SQLite file of its own, on a clock the
/// tests can move; the SDK reaches it through <see cref="Handler"/> (<see cref="AuthPlatformClientOptions.InnerHandler"/>),
/// which counts the requests by path and checks every answer against the OpenAPI document.
/// </summary>
public sealed class Server : WebApplicationFactory<AuthPlatform.WebApi.Controllers.WellKnownController>, IAsyncLifetime
{
    public const string BaseUrl = "http://localhost";
    public const string AdminEmail = TestServerSettings.AdminEmail;
    public const string AdminPassword = TestServerSettings.AdminPassword;
    public const string Password = "correct horse battery staple";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"authplatform-client-{Guid.NewGuid():N}.db");

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CountingHandler Handler { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseTestServerSettings("Sqlite", $"Data Source={_database};Pooling=False");
        builder.UseSetting("Jwt:Issuer", BaseUrl);
        builder.UseSetting("OAuth:DevicePollingInterval", "00:00:01");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public Task InitializeAsync()
    {
        Handler = NewHandler(); // starts it: migrations, signing key, bootstrap administrator
        return Task.CompletedTask;
    }

    /// <summary>A handler into the server of its own: it counts the requests, and an answer that breaks docs/openapi/v1.json fails the call.</summary>
    public CountingHandler NewHandler() =>
        new(new OpenApiContractHandler(OpenApiContract.Document) { InnerHandler = Server.CreateHandler() });

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>A client of this server; <paramref name="configure"/> sets the credential. Nothing comes from the environment.</summary>
    public AuthPlatformClient NewClient(Action<AuthPlatformClientOptions>? configure = null, HttpMessageHandler? handler = null)
    {
        var options = new AuthPlatformClientOptions
        {
            BaseUrl = new Uri(BaseUrl), ApiKey = null, ClientId = null, ClientSecret = null, Scope = null, InnerHandler = handler ?? Handler,
        };
        configure?.Invoke(options);
        return AuthPlatformClient.Create(options);
    }

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    /// <summary>Parses a JSON object (what the CLI printed).</summary>
    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    /// <summary>Registers a new user through the generated client; answers the address.</summary>
    public async Task<string> RegisterAsync(AuthPlatformClient client, string? email = null)
    {
        email ??= NewEmail();
        var user = await client.Api.Api.V1.Auth.Register.PostAsync(new RegisterRequest { Email = email, Password = Password, Name = "Client Tester" });
        Assert.Equal(email, user!.Email);
        return email;
    }

    /// <summary>A client signed in as a new user (its tokens in an in-memory store); answers the address too.</summary>
    public async Task<(AuthPlatformClient Client, string Email)> SignedInAsync(ITokenStore? store = null)
    {
        var client = NewClient(o => o.TokenStore = store);
        var email = await RegisterAsync(client);
        Assert.IsType<SignInResult.Completed>(await client.SignInAsync(email, Password));
        return (client, email);
    }

    /// <summary>A person in a browser (cookies, an address of its own) who signs in on the device page, enters the code and answers <paramref name="decision"/>.</summary>
    /// <param name="secondFactorCode">The current TOTP code, for an account with 2FA on (its second page).</param>
    public async Task DecideOnTheDevicePageAsync(DeviceAuthorization authorization, string email, string decision = "approve", Func<string>? secondFactorCode = null)
    {
        var address = $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var server = Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address));
        using var browser = new HttpClient(new CookieContainerHandler { InnerHandler = server }) { BaseAddress = new Uri("https://localhost") };
        var link = authorization.VerificationUriComplete!;
        var login = await browser.GetAsync(link.PathAndQuery);
        var signedIn = await HtmlForms.SubmitAsync(browser, login, ("email", email), ("password", Password));
        if (secondFactorCode is not null)
        {
            signedIn = await HtmlForms.SubmitAsync(browser, signedIn, ("code", secondFactorCode()));
        }

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var entry = await browser.GetAsync(signedIn.Headers.Location);
        var consent = await HtmlForms.SubmitAsync(browser, entry, ("user_code", authorization.UserCode));
        var html = await consent.Content.ReadAsStringAsync();
        Assert.True(consent.StatusCode == HttpStatusCode.OK && html.Contains("value=\"approve\"", StringComparison.Ordinal), html);
        var done = await HtmlForms.SubmitAsync(browser, consent, ("decision", decision));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    /// <summary>Registers a public client for the device grant (and refresh tokens) as the administrator; answers its id.</summary>
    public async Task<string> NewDeviceClientAsync()
    {
        using var admin = NewClient();
        Assert.IsType<SignInResult.Completed>(await admin.SignInAsync(AdminEmail, AdminPassword));
        var created = await admin.Api.Api.V1.Oauth.Clients.PostAsync(new CreateOAuthClientRequest
        {
            Name = "Client tests CLI",
            Type = "public",
            GrantTypes = ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
            Scopes = ["openid", "profile"],
        });
        return created!.ClientId!;
    }

}

/// <summary>Counts the SDK's requests by path and remembers the last request's headers.</summary>
public sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new();

    public int Count(string path) => _counts.TryGetValue(path, out var n) ? n : 0;

    public System.Collections.Concurrent.ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _counts.AddOrUpdate(request.RequestUri!.AbsolutePath, 1, (_, n) => n + 1);
        Requests.Enqueue(request);
        return base.SendAsync(request, cancellationToken);
    }
}
