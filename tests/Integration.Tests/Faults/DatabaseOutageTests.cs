// Longer than 150 lines because one scenario runs from before a PostgreSQL stop to after its restart, with its own small HTTP helpers.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// Issue 8: PostgreSQL stopped under a running app. Calls that need the database answer 503
/// <c>service_unavailable</c> with <c>Retry-After</c> (never 500, never a misleading 401),
/// <c>/health/ready</c> 503 and <c>/health/live</c> 200; what this instance holds in memory
/// (a verified API key, an access token's security stamp, the signing keys) keeps answering.
/// When the server returns, the same app serves again within seconds, without a restart, and
/// everything written before the stop is there. Runs on its own server (<see cref="FaultsPostgres"/>).
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private const string Password = "outage test passphrase";
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PostgresStoppedAndStarted_CallsAnswer503ThenRecoverWithNothingLost()
    {
        var server = FaultsPostgres.FromEnvironment();
        await using var database = await TestDatabase.CreateOnServerAsync(server.ConnectionString);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?> { ["Database:CommandTimeoutSeconds"] = "2" });
        using var client = app.CreateClient();

        var email = $"outage-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Outage" })).StatusCode);
        var session = await JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }));
        var token = (string)session["token"]!;
        var refreshToken = (string)session["refresh_token"]!;
        var usedKey = (string)(await JsonAsync(await CreateKeyAsync(client, token, "verified before the stop")))["key"]!;
        var unusedKey = (string)(await JsonAsync(await CreateKeyAsync(client, token, "first verified after the stop")))["key"]!;
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(client, usedKey, apiKey: true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(client, token, apiKey: false)).StatusCode);

        await server.StopAsync();
        try
        {
            // Calls that need the database.
            await AssertUnavailableAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }), "login");
            await AssertUnavailableAsync(await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken }), "refresh");
            await AssertUnavailableAsync(await CreateKeyAsync(client, token, "created during the outage"), "key creation");
            await AssertUnavailableAsync(await VerifyAsync(client, unusedKey, apiKey: true), "verify of a key not in the cache");
            await AssertUnavailableAsync(await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "x" + email, password = Password, name = "Late" }), "register");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

            // What this instance holds in memory keeps answering: the hot path of a gateway.
            Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(client, usedKey, apiKey: true)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(client, token, apiKey: false)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/.well-known/jwks.json")).StatusCode);
        }
        finally
        {
            await server.StartAsync();
        }

        // The same app, not restarted, serves again within seconds.
        var recovering = Stopwatch.StartNew();
        await EventuallyOkAsync(() => client.GetAsync("/health/ready"), "/health/ready", recovering);
        var ready = recovering.Elapsed;
        var login = await EventuallyOkAsync(() => client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }), "login", recovering);
        Assert.InRange(recovering.Elapsed, TimeSpan.Zero, RecoveryDeadline);
        output.WriteLine($"After the start command returned: /health/ready 200 after {ready.TotalMilliseconds:0} ms, login 200 after {recovering.Elapsed.TotalMilliseconds:0} ms.");

        // Nothing written before the stop was lost, and nothing of the refused calls was kept.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = refreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(client, unusedKey, apiKey: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await CreateKeyAsync(client, (string)(await JsonAsync(login))["token"]!, "created after the restart")).StatusCode);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email = @email", ("@email", email)));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email = @email", ("@email", "x" + email)));
        Assert.Equal(
            "created after the restart,first verified after the stop,verified before the stop",
            await database.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY name) FROM api_keys"));
        Assert.DoesNotContain("Unhandled exception", app.Logs.AllText, StringComparison.Ordinal);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string call)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{call} during the outage answered {(int)response.StatusCode}: {body}");
        Assert.Equal("service_unavailable", (string?)JsonNode.Parse(body)!["code"]);
        Assert.True(response.Headers.RetryAfter is not null, $"{call}: 503 without Retry-After");
    }

    /// <summary>Repeats the call until it succeeds; every answer before that must be a 503, and the deadline holds.</summary>
    private static async Task<HttpResponseMessage> EventuallyOkAsync(Func<Task<HttpResponseMessage>> call, string name, Stopwatch since)
    {
        while (true)
        {
            var response = await call();
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{name} while the server came back answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.True(since.Elapsed < RecoveryDeadline, $"{name} still answered 503 {RecoveryDeadline.TotalSeconds} s after the server was started again.");
            await Task.Delay(200);
        }
    }

    private static Task<HttpResponseMessage> CreateKeyAsync(HttpClient client, string token, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys")
        {
            Content = JsonContent.Create(new { name, permissions = new[] { "profile" } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> VerifyAsync(HttpClient client, string credential, bool apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
        if (apiKey)
        {
            request.Headers.Add("X-API-Key", credential);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return client.SendAsync(request);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
