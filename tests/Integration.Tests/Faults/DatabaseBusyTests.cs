using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AuthPlatform.Integration.Tests.Faults;

/// <summary>
/// A database lock wait never becomes a 500: SQLite's single write lock, held by another
/// writer for longer than <c>Database:CommandTimeoutSeconds</c>, answers 503
/// <c>service_unavailable</c> with <c>Retry-After</c>, changes nothing, and service resumes as
/// soon as the lock is released.
/// </summary>
public sealed class DatabaseBusyTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private AuthApiFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        _factory = new AuthApiFactory(_database, new Dictionary<string, string?> { ["Database:CommandTimeoutSeconds"] = "1" });
        _factory.CreateClient().Dispose(); // start the app: migrations and the bootstrap admin are done
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Register_WhileAnotherWriterHoldsTheLock_Answers503WithRetryAfterAndThenRecovers()
    {
        var client = _factory.CreateClient();
        var email = $"busy-{Guid.NewGuid():N}@example.com";
        var body = new { email, password = ApiTestBase<SqliteApiFixture>.Password, name = "Busy" };

        HttpResponseMessage busy;
        var watch = Stopwatch.StartNew();
        await using (var writer = new SqliteConnection(_database.ConnectionString))
        {
            await writer.OpenAsync();
            await using var hold = writer.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync();

            busy = await client.PostAsJsonAsync("/api/v1/auth/register", body);
            watch.Stop();

            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("service_unavailable", (string?)System.Text.Json.Nodes.JsonNode.Parse(await busy.Content.ReadAsStringAsync())!["code"]);
        Assert.True(busy.Headers.RetryAfter is not null, "503 without Retry-After");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE email = @email", ("@email", email)));

        var again = await client.PostAsJsonAsync("/api/v1/auth/register", body);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }
}
