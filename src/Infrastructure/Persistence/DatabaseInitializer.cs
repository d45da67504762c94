using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>At start-up: applies migrations (unless configured off) and sets SQLite's journal mode.</summary>
public sealed class DatabaseInitializer(AuthDbContext db, IOptions<DatabaseOptions> options)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // Readers never wait for the writer; writers queue on the busy timeout.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
