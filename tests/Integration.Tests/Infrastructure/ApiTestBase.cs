using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>A test against the HTTP API of the real app; the database is emptied before each test.</summary>
public abstract class ApiTestBase<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : ApiFixture
{
    public const string Password = "correct horse battery staple";

    protected TFixture Fixture => fixture;

    protected AuthApiFactory Factory => fixture.Factory;

    protected HttpClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await Factory.ResetAsync();
        Client = Factory.CreateClient();
    }

    public virtual Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }

    protected static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    protected Task<HttpResponseMessage> PostJsonAsync(string url, object body, string? token = null) =>
        SendAsync(HttpMethod.Post, url, JsonContent.Create(body), token);

    protected Task<HttpResponseMessage> PostRawAsync(string url, string json, string? token = null) =>
        SendAsync(HttpMethod.Post, url, new StringContent(json, Encoding.UTF8, "application/json"), token);

    protected Task<HttpResponseMessage> GetAsync(string url, string? token = null) => SendAsync(HttpMethod.Get, url, null, token);

    protected Task<HttpResponseMessage> DeleteAsync(string url, string? token = null) => SendAsync(HttpMethod.Delete, url, null, token);

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content, string? token)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }

    protected async Task<JsonObject> RegisterAsync(string? email = null, string password = Password, string name = "Test User")
    {
        var response = await PostJsonAsync("/api/v1/auth/register", new { email = email ?? NewEmail(), password, name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    protected async Task<JsonObject> LoginAsync(string email, string password = Password)
    {
        var response = await PostJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    /// <summary>Registers a new user and logs in: (email, session answer).</summary>
    protected async Task<(string Email, JsonObject Session)> NewSessionAsync()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        return (email, await LoginAsync(email));
    }

    /// <summary>Turns 2FA on for the account (then moves the clock to the next TOTP step); answers its TOTP secret.</summary>
    protected async Task<string> EnableTwoFactorAsync(string email)
    {
        var session = await LoginAsync(email);
        var setup = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/2fa/setup", new { current_password = Password }, Str(session, "token")));
        var secret = Str(setup, "secret");
        var enabled = await PostJsonAsync(
            "/api/v1/auth/2fa/enable", new { code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow()), current_password = Password }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(30));
        return secret;
    }

    protected static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    protected static async Task<JsonArray> ReadArrayAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

    /// <summary>Asserts an RFC 9457 problem with the given status and stable code; returns it.</summary>
    protected static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["trace_id"]));
        return problem;
    }

    protected static string Str(JsonNode? node, string name) =>
        (string?)node?[name] ?? throw new InvalidOperationException($"'{name}' missing in {node?.ToJsonString()}");

    protected static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
