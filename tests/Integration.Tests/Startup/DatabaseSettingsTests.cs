using Microsoft.Data.Sqlite;

namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>The provider, its connection string and the SQLite folder, checked before the database is touched.</summary>
public sealed class DatabaseSettingsTests
{
    [Theory]
    [InlineData("Oracle")]
    [InlineData("1")]
    [InlineData("Sqlite,Postgres")]
    public void Validate_UnknownProvider_ListsTheValidOnes(string provider)
    {
        var line = ValidatorInput.SingleErrorFor("Database:Provider", ValidatorInput.Validate($"Database:Provider={provider}"));

        Assert.Contains("it must be one of Sqlite, Postgres, SqlServer", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Postgres", "PostgreSQL")]
    [InlineData("SqlServer", "SQL Server")]
    public void Validate_ServerProviderWithoutConnectionString_SaysItIsRequired(string provider, string name)
    {
        var line = ValidatorInput.SingleErrorFor("ConnectionStrings:Default", ValidatorInput.Validate($"Database:Provider={provider}", "ConnectionStrings:Default="));

        Assert.Contains($"is not set, and Database:Provider is {provider}", line, StringComparison.Ordinal);
        Assert.Contains($"a {name} connection string", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Postgres", "Data Source=./data/authplatform.db")]
    [InlineData("SqlServer", "Data Source=./data/authplatform.db")]
    [InlineData("Postgres", "Host=;Username=app;Password=hunter2-secret")]
    [InlineData("Postgres", "Server=db;Flavour=strawberry;Password=hunter2-secret")]
    [InlineData("SqlServer", "Database=app;Password=hunter2-secret")]
    public void Validate_ServerProviderWithUnusableConnectionString_IsRefusedWithoutShowingIt(string provider, string connectionString)
    {
        var line = ValidatorInput.SingleErrorFor("ConnectionStrings:Default",
            ValidatorInput.Validate($"Database:Provider={provider}", $"ConnectionStrings:Default={connectionString}"));

        Assert.Contains("naming a server", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Data Source", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Postgres", "Host=db.internal;Database=authplatform;Username=app;Password=p")]
    [InlineData("SqlServer", "Server=db.internal,1433;Database=authplatform;User Id=app;Password=p")]
    public void Validate_ServerProviderWithConnectionString_IsAcceptedWithoutConnecting(string provider, string connectionString)
    {
        Assert.Empty(ValidatorInput.Validate($"Database:Provider={provider}", $"ConnectionStrings:Default={connectionString}"));
    }

    [Fact]
    public void Validate_SqliteFolderUnderAFile_NamesThePathAndTheFileInTheWay()
    {
        var file = Path.Combine(ValidatorInput.Folder, $"in-the-way-{Guid.NewGuid():N}");
        File.WriteAllText(file, "not a folder");
        var database = Path.Combine(file, "data", "authplatform.db");

        var line = ValidatorInput.SingleErrorFor("ConnectionStrings:Default", ValidatorInput.Validate($"ConnectionStrings:Default=Data Source={database}"));

        Assert.Contains($"names the SQLite file {database}, but its folder {Path.GetDirectoryName(database)} cannot be created ({file} is a file", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Could not find", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SqliteFileThatIsAFolder_SaysSo()
    {
        var line = ValidatorInput.SingleErrorFor("ConnectionStrings:Default", ValidatorInput.Validate($"ConnectionStrings:Default=Data Source={ValidatorInput.Folder}"));

        Assert.Contains($"names {ValidatorInput.Folder}, which is a folder, not a SQLite file", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SqliteFolderMissing_IsCreatedWithoutCreatingTheDatabase()
    {
        var folder = Path.Combine(ValidatorInput.Folder, $"new-{Guid.NewGuid():N}", "data");
        var database = Path.Combine(folder, "authplatform.db");

        Assert.Empty(ValidatorInput.Validate($"ConnectionStrings:Default=Data Source={database}"));

        Assert.True(Directory.Exists(folder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void Validate_SqliteFolderCheck_WaitsUntilTheSettingsAreValid()
    {
        var folder = Path.Combine(ValidatorInput.Folder, $"not-yet-{Guid.NewGuid():N}");

        var errors = ValidatorInput.Validate($"ConnectionStrings:Default=Data Source={Path.Combine(folder, "authplatform.db")}", "Jwt:ClockSkew=1.00:00:00");

        ValidatorInput.SingleErrorFor("Jwt:ClockSkew", errors);
        Assert.False(Directory.Exists(folder), "A folder was created although the server will not start.");
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared")]
    public void Validate_SqliteInMemory_IsAccepted(string connectionString)
    {
        Assert.Empty(ValidatorInput.Validate($"ConnectionStrings:Default={connectionString}"));
        Assert.False(File.Exists(new SqliteConnectionStringBuilder(connectionString).DataSource));
    }
}
