using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>Runs alone, after the parallel classes: it measures a latency, so it wants the machine to itself.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LatencyCollection
{
    public const string Name = "Latency";
}

/// <summary>
/// One user stalled everyone on SQLite (issue 8): password changes hashed inside their write
/// transaction, so clients changing their passwords in a loop held the only write lock and other
/// users' refreshes waited up to 30 s or answered 500. With the production hash cost, two clients
/// change their passwords over and over while another user refreshes: nothing answers 5xx and no
/// refresh takes a second.
/// </summary>
public abstract class PasswordChangeLoadTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ProductionHashCostFixture
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);
    private static readonly string[] Passwords = ["changer passphrase number one", "changer passphrase number two"];

    [Fact]
    public async Task PasswordChangesInALoop_NeverStallAnotherUsersRefresh()
    {
        var changers = new List<(HttpClient Client, JsonObject Session)>();
        for (var i = 0; i < 2; i++)
        {
            var email = NewEmail();
            await RegisterAsync(email, Passwords[0]);
            changers.Add((Factory.CreateClient(), await LoginAsync(email, Passwords[0])));
        }

        var (_, refresher) = await NewSessionAsync();

        // Once before the clock starts: the first call of a path pays for its compilation.
        var warm = await Send(Client, "/api/v1/auth/refresh", new { refresh_token = Str(refresher, "refresh_token") });
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        refresher = await ReadObjectAsync(warm);
        var statuses = new System.Collections.Concurrent.ConcurrentBag<(string Call, HttpStatusCode Status)>();
        var refreshLatencies = new List<TimeSpan>();
        using var stop = new CancellationTokenSource(Duration);

        async Task<int> ChangeInALoopAsync(HttpClient client, JsonObject session)
        {
            var changes = 0;
            while (!stop.IsCancellationRequested)
            {
                var change = await Send(client, "/api/v1/auth/password", new { current_password = Passwords[changes % 2], new_password = Passwords[(changes + 1) % 2] }, Str(session, "token"));
                statuses.Add(("password", change.StatusCode));
                Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
                changes++;

                // The change ended every access token, this session's too: it refreshes to go on.
                var refreshed = await Send(client, "/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") });
                statuses.Add(("changer refresh", refreshed.StatusCode));
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
                session = await ReadObjectAsync(refreshed);
            }

            return changes;
        }

        async Task RefreshInALoopAsync()
        {
            var token = Str(refresher, "refresh_token");
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                var refreshed = await Send(Client, "/api/v1/auth/refresh", new { refresh_token = token });
                watch.Stop();
                statuses.Add(("refresh", refreshed.StatusCode));
                refreshLatencies.Add(watch.Elapsed);
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
                token = Str(await ReadObjectAsync(refreshed), "refresh_token");
                await Task.Delay(20);
            }
        }

        var changing = changers.Select(c => ChangeInALoopAsync(c.Client, c.Session)).ToArray();
        await Task.WhenAll(RefreshInALoopAsync(), Task.WhenAll(changing));

        Assert.DoesNotContain(statuses, s => (int)s.Status >= 500);
        var changed = (await Task.WhenAll(changing)).Sum();
        Assert.True(changed >= 4, $"the passwords were changed only {changed} times: no load");
        Assert.True(refreshLatencies.Count >= 10, $"only {refreshLatencies.Count} refreshes ran");
        var slowest = refreshLatencies.Max();
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"the slowest of {refreshLatencies.Count} refreshes took {slowest.TotalMilliseconds:F0} ms; in order: {string.Join(", ", refreshLatencies.Select(l => l.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string url, object body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client.SendAsync(request);
    }
}

/// <summary>The app with the production password-hash cost (the other fixtures lower it to save time).</summary>
public abstract class ProductionHashCostFixture(DatabaseKind kind) : ApiFixture(kind)
{
    protected override AuthApiFactory CreateFactory(TestDatabase database) =>
        new(database, new Dictionary<string, string?> { ["Passwords:Iterations"] = "220000" });
}

public sealed class ProductionHashCostOnSqliteFixture() : ProductionHashCostFixture(DatabaseKind.Sqlite);

public sealed class ProductionHashCostOnPostgresFixture() : ProductionHashCostFixture(DatabaseKind.Postgres);

[Collection(LatencyCollection.Name)]
public sealed class PasswordChangeLoadTestsOnSqlite(ProductionHashCostOnSqliteFixture fixture)
    : PasswordChangeLoadTests<ProductionHashCostOnSqliteFixture>(fixture);

[Collection(LatencyCollection.Name)]
public sealed class PasswordChangeLoadTestsOnPostgres(ProductionHashCostOnPostgresFixture fixture)
    : PasswordChangeLoadTests<ProductionHashCostOnPostgresFixture>(fixture);
