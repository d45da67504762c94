using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>
/// At start-up: applies migrations (unless configured off) and sets SQLite's journal mode; in WAL
/// mode the writes through the <see cref="DatabaseWriteGate"/> are then flushed in groups (ADR 0017).
/// On a database that has every migration (one read of the history table) nothing more is done:
/// EF Core's migrator would take its migration lock, make sure of its history table and compare the model with
/// the migrations' snapshot on every start, about a tenth of a start's CPU (docs/performance.md, "Start-up (issue 13)").
/// That comparison is a test (tests/Integration.Tests/Persistence/MigrationsTests), and it still runs before any
/// migration is applied. Nodes starting together check under the <see cref="StartupLock"/>, so the second finds none pending.
/// </summary>
public sealed class DatabaseInitializer(AuthDbContext db, IOptions<DatabaseOptions> options, DatabaseWriteGate gate)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup && (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // Readers never wait for the writer; writers queue at the gate. SQLite answers the mode
            // it is in: "memory" for an in-memory database, which has no WAL to flush.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA journal_mode=WAL;";
                if (await command.ExecuteScalarAsync(cancellationToken) is string mode && mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
                {
                    gate.EnableBatchedSync();
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
