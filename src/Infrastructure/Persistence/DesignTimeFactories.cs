using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AuthPlatform.Infrastructure.Persistence;

// Used only by `dotnet ef migrations add` (see docs/operations.md); no database is touched.
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAuthDbContext>
{
    public SqliteAuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAuthDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAuthDbContext>
{
    public PostgresAuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAuthDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerAuthDbContext>
{
    public SqlServerAuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerAuthDbContext>().UseSqlServer("Server=localhost;Database=design;TrustServerCertificate=true").Options);
}
