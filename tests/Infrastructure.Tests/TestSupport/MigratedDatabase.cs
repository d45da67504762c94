using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AuthPlatform.Infrastructure.Tests.TestSupport;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A real database of its own for one test class (an xunit class fixture): a SQLite file, or a
/// fresh PostgreSQL database created on the server named by <c>AUTHPLATFORM_TEST_POSTGRES</c>
/// and dropped afterwards. PostgreSQL tests fail, never skip, when the variable is missing.
/// <para>
/// The services are the application's own (<c>AddInfrastructure</c> over a configuration naming
/// the provider and connection string), and the schema comes from its start-up step
/// (<see cref="DatabaseInitializer"/>): the provider's EF migrations, not <c>EnsureCreated</c>.
/// </para>
/// </summary>
public abstract class MigratedDatabase(DatabaseKind kind) : IAsyncLifetime
{
    public const string PostgresVariable = "AUTHPLATFORM_TEST_POSTGRES";

    private string? _sqliteFile;
    private string? _postgresAdmin;
    private string? _postgresName;
    private ServiceProvider? _services;

    public DatabaseKind Kind => kind;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The database is not initialised yet.");

    public async Task InitializeAsync()
    {
        string connectionString;
        if (kind == DatabaseKind.Sqlite)
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"authplatform-infra-{Guid.NewGuid():N}.db");
            connectionString = new SqliteConnectionStringBuilder { DataSource = _sqliteFile }.ToString();
        }
        else
        {
            _postgresAdmin = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(_postgresAdmin))
            {
                throw new InvalidOperationException(
                    $"PostgreSQL tests need a server: set {PostgresVariable} to an ADO.NET connection string, or run 'bash tests/run.sh', which installs and starts one.");
            }

            _postgresName = $"authplatform_i_{Guid.NewGuid():N}"[..40];
            await using (var connection = new NpgsqlConnection(_postgresAdmin))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"CREATE DATABASE \"{_postgresName}\"";
                await command.ExecuteNonQueryAsync();
            }

            connectionString = new NpgsqlConnectionStringBuilder(_postgresAdmin) { Database = _postgresName }.ToString();
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = kind == DatabaseKind.Sqlite ? nameof(DatabaseProvider.Sqlite) : nameof(DatabaseProvider.Postgres),
                ["ConnectionStrings:Default"] = connectionString,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInfrastructure(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });

        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);

        // The schema really is the migrations' one: every migration of the provider was applied.
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        Assert.NotEmpty(applied);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Equal(kind == DatabaseKind.Sqlite, db.Database.IsSqlite());
        Assert.Equal(kind == DatabaseKind.Postgres, db.Database.IsNpgsql());
    }

    /// <summary>A scope of its own: its own <see cref="AuthDbContext"/> and so its own connection.</summary>
    public AsyncServiceScope NewScope() => Services.CreateAsyncScope();

    /// <summary>Saves <paramref name="entities"/> through a context of their own.</summary>
    public async Task AddAsync(params object[] entities)
    {
        await using var scope = NewScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        db.AddRange(entities);
        await db.SaveChangesAsync();
    }

    /// <summary>Reads through a fresh, untracked context: what is stored, not what a context remembers.</summary>
    public async Task<T> ReadAsync<T>(Func<AuthDbContext, Task<T>> query)
    {
        await using var scope = NewScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return await query(db);
    }

    /// <summary>
    /// Runs <paramref name="count"/> calls at once, each in its own scope (own context, own
    /// connection): each first does <paramref name="prepare"/> (e.g. loads an entity), then all
    /// wait for each other and do <paramref name="act"/> together.
    /// </summary>
    public async Task<TResult[]> InParallelAsync<TState, TResult>(
        int count,
        Func<IServiceProvider, int, Task<TState>> prepare,
        Func<IServiceProvider, TState, int, Task<TResult>> act)
    {
        var ready = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await using var scope = NewScope();
            var state = await prepare(scope.ServiceProvider, i);
            if (Interlocked.Increment(ref ready) == count)
            {
                allReady.SetResult();
            }

            await allReady.Task;
            return await act(scope.ServiceProvider, state, i);
        })).ToArray();
        return await Task.WhenAll(tasks);
    }

    /// <summary><see cref="InParallelAsync{TState,TResult}"/> with nothing to prepare.</summary>
    public Task<TResult[]> InParallelAsync<TResult>(int count, Func<IServiceProvider, int, Task<TResult>> act) =>
        InParallelAsync(count, (_, _) => Task.FromResult(0), (services, _, i) => act(services, i));

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (kind == DatabaseKind.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(_sqliteFile + suffix);
                }
                catch (IOException)
                {
                    // A file still open is left in the temp folder.
                }
            }

            return;
        }

        if (_postgresName is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteDatabase() : MigratedDatabase(DatabaseKind.Sqlite);

public sealed class PostgresDatabase() : MigratedDatabase(DatabaseKind.Postgres);
