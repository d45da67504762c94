using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Respawn;

namespace AuthPlatform.Integration.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A real database of its own for one test fixture: a SQLite file, or a fresh PostgreSQL
/// database created on the server named by <c>AUTHPLATFORM_TEST_POSTGRES</c> (tests/run.sh
/// starts one). PostgreSQL tests fail, never skip, when the server is missing.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "AUTHPLATFORM_TEST_POSTGRES";

    private static readonly string[] KeptTables = ["__EFMigrationsHistory", "signing_keys", "data_protection_keys"];
    private Respawner? _respawner;

    private TestDatabase(DatabaseKind kind, string connectionString, string? adminConnectionString, string? name)
    {
        Kind = kind;
        ConnectionString = connectionString;
        AdminConnectionString = adminConnectionString;
        Name = name;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    private string? AdminConnectionString { get; }

    private string? Name { get; }

    public string Provider => Kind == DatabaseKind.Sqlite ? "Sqlite" : "Postgres";

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"authplatform-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(kind, $"Data Source={file};Pooling=False", null, file);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need a server: set {PostgresVariable} to an ADO.NET connection string, or run 'bash tests/run.sh', which installs and starts one.");
        }

        return await CreateOnServerAsync(admin);
    }

    /// <summary>A fresh PostgreSQL database on the server of <paramref name="adminConnectionString"/> (a login that may create databases).</summary>
    public static async Task<TestDatabase> CreateOnServerAsync(string adminConnectionString)
    {
        var admin = adminConnectionString;
        var name = $"authplatform_t_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(DatabaseKind.Postgres, builder.ToString(), admin, name);
    }

    /// <summary>Empties every table but the migrations history and the key rings (Respawn).</summary>
    public async Task ResetAsync()
    {
        await using var connection = Open();
        await connection.OpenAsync();
        _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Kind == DatabaseKind.Sqlite ? DbAdapter.Sqlite : DbAdapter.Postgres,
            TablesToIgnore = KeptTables.Select(t => new Respawn.Graph.Table(t)).ToArray(),
            SchemasToInclude = Kind == DatabaseKind.Postgres ? ["public"] : [],
        });
        await _respawner.ResetAsync(connection);
    }

    public DbConnection Open() =>
        Kind == DatabaseKind.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

    /// <summary>Runs a scalar query straight against the database (for at-rest checks).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every text value in every table, for "the secret never appears in the database" checks.</summary>
    public async Task<string> DumpAllTextAsync()
    {
        var tables = new[] { "users", "refresh_token_families", "refresh_tokens", "audit_events", "signing_keys", "api_keys" };
        var text = new System.Text.StringBuilder();
        await using var connection = Open();
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Kind == DatabaseKind.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(Name + suffix);
                }
                catch (IOException)
                {
                    // A file still open is left in the temp folder.
                }
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync();
    }
}
