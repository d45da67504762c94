// Longer than 150 lines because the one scenario (a real process stopped by SIGTERM with logins in flight) needs its own small HTTP and process helpers.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// Graceful shutdown (issue 8): the real server, started as an operator starts it, gets SIGTERM
/// while logins are being hashed; each login still gets its normal answer, the process exits on
/// its own, and the <c>last_used_at</c> noted in memory before the stop is in the database after it.
/// </summary>
public sealed partial class GracefulShutdownTests : IDisposable
{
    private const string Password = "graceful shutdown passphrase";
    private const int InFlightLogins = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("authplatform-shutdown-").FullName;

    [Fact]
    public async Task Sigterm_WithLoginsInFlight_AnswersThemAllAndWritesThePendingLastUsedAt()
    {
        var databaseFile = Path.Combine(_directory, "auth.db");
        await using var server = ServerProcess.Start(_directory, new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={databaseFile}",
            ["Https__Redirect"] = "false",
            ["Https__Hsts"] = "false",
            ["Metrics__ScrapeCacheMilliseconds"] = "0",
            ["Passwords__Iterations"] = "2000000", // about half a second (idle) to seconds (loaded) per hash: logins stay in flight while the stop begins
            ["Shutdown__Timeout"] = "00:01:00",
        });
        Assert.True(await server.WaitForOutputAsync("Now listening on", Timeout), $"Not started: {server.StandardOutput}\n{server.StandardError}");
        using var client = new HttpClient { BaseAddress = ListeningAddress(server.StandardOutput), Timeout = Timeout };

        var email = $"stop-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Stop" })).StatusCode);
        var token = (string)(await JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })))["token"]!;
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/api-keys")
        {
            Content = JsonContent.Create(new { name = "used before the stop", permissions = new[] { "profile" } }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var key = (string)(await JsonAsync(await client.SendAsync(create)))["key"]!;
        using var use = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/verify");
        use.Headers.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(use)).StatusCode);
        var writtenBeforeTheStop = await LastUsedAtWrittenAsync(databaseFile); // the background write comes every 30 s at most

        var logins = await StartLoginsSeenInFlightAsync(client, email);
        var stopping = Stopwatch.StartNew();
        await SendSigtermAsync(server);
        var inFlightAtTheStop = logins.Count(login => !login.IsCompleted);
        Assert.True(inFlightAtTheStop > 0, "Every login finished before the stop: the test proves nothing.");

        foreach (var login in logins)
        {
            using var answer = await login;
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.False(string.IsNullOrEmpty((string?)(await JsonAsync(answer))["token"]));
        }

        Assert.True(await server.WaitForExitAsync(Timeout), "The server did not exit after SIGTERM.");
        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        Assert.Equal(0, server.ExitCode);
        Assert.DoesNotContain("last_used_at failed", server.StandardOutput + server.StandardError, StringComparison.Ordinal);
        Assert.Contains("Application is shutting down", server.StandardOutput, StringComparison.Ordinal);
        Assert.False(writtenBeforeTheStop, "last_used_at was written before the stop (the periodic write came early): the check below proves nothing.");
        Assert.True(await LastUsedAtWrittenAsync(databaseFile), "The use noted before the stop was not written at shutdown.");
    }

    [Fact]
    public async Task ShutdownTimeout_FromTheSetting_IsTheHostsShutdownTimeout()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new AuthApiFactory(database, new Dictionary<string, string?> { ["Shutdown:Timeout"] = "00:00:07" });
        await using var defaults = new AuthApiFactory(database);

        Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), defaults.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    /// <summary>Hosted services stop in reverse order: the web server, registered last, stops first, so requests finish before the usage tracker's last write.</summary>
    [Fact]
    public async Task HostedServices_TheWebServerIsLast_SoItStopsBeforeTheUsageTracker()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var app = new AuthApiFactory(database);

        var hosted = app.Services.GetServices<IHostedService>().ToList();

        Assert.Equal("GenericWebHostService", hosted[^1].GetType().Name);
        Assert.Contains(hosted, service => service is ApiKeyUsageTracker);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a dying process: the temp folder is cleaned later
        }
    }

    /// <summary>
    /// Starts a batch of logins and polls the server's own gauge of requests in progress until it
    /// counts one of them (the scrape itself is a GET). On a fast machine a whole batch can finish
    /// before a scrape sees it; then the next batch is started, up to five.
    /// </summary>
    private static async Task<List<Task<HttpResponseMessage>>> StartLoginsSeenInFlightAsync(HttpClient client, string email)
    {
        for (var batch = 0; batch < 5; batch++)
        {
            var logins = Enumerable.Range(0, InFlightLogins)
                .Select(_ => client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }))
                .ToList();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < until && !logins.TrueForAll(login => login.IsCompleted))
            {
                var scrape = await PrometheusScrape.ReadAsync(client);
                if (scrape.Sum("http_server_active_requests", ("http_request_method", "POST")) >= 1 && !logins.TrueForAll(login => login.IsCompleted))
                {
                    return logins;
                }

                await Task.Delay(10);
            }

            foreach (var login in logins)
            {
                using var answer = await login;
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
        }

        Assert.Fail("Five batches of logins each finished before a scrape saw one in progress.");
        return [];
    }

    private static async Task SendSigtermAsync(ServerProcess server)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", server.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<bool> LastUsedAtWrittenAsync(string databaseFile)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM api_keys WHERE last_used_at IS NOT NULL AND name = 'used before the stop'";
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static Uri ListeningAddress(string output) =>
        new(ListeningLine().Match(output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"No address in: {output}"));

    [GeneratedRegex(@"Now listening on: (http://[^\s]+)")]
    private static partial Regex ListeningLine();
}
