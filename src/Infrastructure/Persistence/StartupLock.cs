using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>
/// One node at a time through the start-up tasks (migrations, the Data Protection key ring, the first
/// signing key, the bootstrap administrator, the CLI client): nodes starting together on one database
/// take turns, and each one after the first finds the work done. On PostgreSQL a session-level advisory
/// lock, on SQL Server an application lock owned by the session, both held on a connection of their own
/// outside the pool, so that a node that dies while holding it releases it with its connection.
/// SQLite is one node's database: nothing to take.
/// </summary>
public sealed partial class StartupLock(AuthDbContext db, ILogger<StartupLock> logger)
{
    /// <summary>The advisory-lock key on PostgreSQL ("AuthPlat" in ASCII); the resource name on SQL Server.</summary>
    public const long PostgresKey = 0x4175_7468_506C_6174;

    public const string SqlServerResource = "AuthPlatform.Startup";

    /// <summary>How long a node waits for another node's start-up before it gives up (a migration of a large table can take minutes).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    /// <summary>Takes the lock, waiting for the node that holds it; disposing the answer releases it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var connectionString = db.Database.GetConnectionString();
        DbConnection? connection = db.Database.IsNpgsql()
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString())
            : db.Database.IsSqlServer()
                ? new SqlConnection(new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString())
                : null;
        if (connection is null)
        {
            return new Held(null);
        }

        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!await RunAsync(connection, TryTake(connection), TimeSpan.FromSeconds(30), cancellationToken))
            {
                LogWaiting(logger);
                if (!await RunAsync(connection, Take(connection), Wait, cancellationToken))
                {
                    throw new InvalidOperationException($"Another node held the start-up lock for more than {Wait.TotalMinutes} minutes.");
                }
            }

            return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string TryTake(DbConnection connection) => connection is NpgsqlConnection
        ? $"SELECT pg_try_advisory_lock({PostgresKey})"
        : $"DECLARE @r int; EXEC @r = sp_getapplock @Resource = '{SqlServerResource}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 0; SELECT CAST(CASE WHEN @r >= 0 THEN 1 ELSE 0 END AS bit)";

    private static string Take(DbConnection connection) => connection is NpgsqlConnection
        ? $"SELECT true FROM pg_advisory_lock({PostgresKey})" // returns void: one row once taken
        : $"DECLARE @r int; EXEC @r = sp_getapplock @Resource = '{SqlServerResource}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = {(int)Wait.TotalMilliseconds}; SELECT CAST(CASE WHEN @r >= 0 THEN 1 ELSE 0 END AS bit)";

    private static async Task<bool> RunAsync(DbConnection connection, string sql, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = (int)timeout.TotalSeconds + 5;
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Closing the connection ends the session, which releases the lock on both servers.</summary>
    private sealed class Held(DbConnection? connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Another node is starting on this database (start-up lock held): waiting for it to finish its migrations and first keys.")]
    private static partial void LogWaiting(ILogger logger);
}
