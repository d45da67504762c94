// Longer than 150 lines because each refused start (bad setting, port in use, extension policy, key-ring certificate) is a real process with its own checks.
using System.Net;
using System.Net.Sockets;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>
/// The real server started as a process with a bad setting (SPEC section 8): exit code 1, exactly one
/// line on stderr naming the setting as an environment variable, no stack trace, and no database
/// file, because the check runs before the database is touched.
/// </summary>
public sealed class StartupProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("authplatform-startup-").FullName;

    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        { "Jwt__AccessTokenLifetime", "3600", "Jwt__AccessTokenLifetime", "1.00:00:00" },
        { "Jwt__AccessTokenLifetime", "abc", "Jwt__AccessTokenLifetime", "not a duration" },
        { "Database__Provider", "Oracle", "Database__Provider", "Sqlite, Postgres, SqlServer" },
        { "Database__Provider", "Postgres", "ConnectionStrings__Default", "is not set" },
        { "ConnectionStrings__Default", "Data Source={dir}/a-file/data/authplatform.db", "ConnectionStrings__Default", "{dir}/a-file is a file" },
        { "Scopes__Custom__0", "Models.Read", "Scopes__Custom__0", "[a-z0-9_.:-]" },
        { "Bootstrap__AdminPassword", "short", "Bootstrap__AdminPassword", "at least 12 characters" },
        { "Cors__AllowedOrigins__0", "*", "Cors__AllowedOrigins__0", "no wildcard" },
        { "Otel__Protocol", "udp", "Otel__Protocol", "grpc or http/protobuf" },
        { "DataProtection__Certificate__Path", "{dir}/keyring.pfx", "DataProtection__Certificate__Path", "{dir}/keyring.pfx, which does not exist" },
        { "DataProtection__Certificate__Thumbprint", "00112233445566778899AABBCCDDEEFF00112233", "DataProtection__Certificate__Thumbprint", "no certificate with that thumbprint is in the store CurrentUser/My" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_WithBadSetting_ExitsWithOneLineNamingItAndNoDatabase(string name, string value, string named, string says)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "a-file"), "not a folder");
        var environment = new Dictionary<string, string> { [name] = value.Replace("{dir}", _directory, StringComparison.Ordinal) };
        if (name == "Bootstrap__AdminPassword")
        {
            environment["Bootstrap__AdminEmail"] = "admin@example.com";
        }

        await using var server = ServerProcess.Start(_directory, environment);

        Assert.True(await server.WaitForExitAsync(Timeout), "The server kept running.");
        Assert.Equal(1, server.ExitCode);
        var line = Assert.Single(server.ErrorLines);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(says.Replace("{dir}", _directory, StringComparison.Ordinal), line, StringComparison.Ordinal);
        AssertNoStackTraceAndNoDatabase(server);
    }

    [Fact]
    public async Task Start_WithPortInUse_ExitsWithOneLineNamingUrlsAndTheAddress()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        await using var server = ServerProcess.Start(_directory, new Dictionary<string, string> { ["Urls"] = $"http://127.0.0.1:{port}" });

        Assert.True(await server.WaitForExitAsync(Timeout), "The server kept running.");
        Assert.Equal(1, server.ExitCode);
        var line = Assert.Single(server.ErrorLines);
        Assert.StartsWith("Configuration error: Urls", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port} is already in use", line, StringComparison.Ordinal);
        AssertNoStackTraceAndNoDatabase(server);
    }

    [Fact]
    public async Task Start_WithAdministratorPasswordRefusedByAnExtensionsPolicy_ExitsWithOneLineAndNoDatabase()
    {
        // Good by the default rules, refused by Acme's policy (it holds the company name): only the
        // check that runs on the built services, still before the migrations, can see that.
        await using var server = ServerProcess.Start(_directory, new Dictionary<string, string>
        {
            ["Extensions__Assemblies__0"] = typeof(Acme.AuthPlatform.Extensions.AcmeExtension).Assembly.Location,
            ["Acme__AllowedNetworks__0"] = "10.0.0.0/8",
            ["Bootstrap__AdminEmail"] = "root@example.com",
            ["Bootstrap__AdminPassword"] = "the acme bootstrap passphrase",
        });

        Assert.True(await server.WaitForExitAsync(Timeout), "The server kept running.");
        Assert.Equal(1, server.ExitCode);
        var line = Assert.Single(server.ErrorLines);
        Assert.StartsWith("Configuration error: Bootstrap:AdminPassword (env Bootstrap__AdminPassword) is not accepted (\"The password must not contain the company name.\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("the acme bootstrap passphrase", line, StringComparison.Ordinal);
        AssertNoStackTraceAndNoDatabase(server);
    }

    [Fact]
    public async Task Start_WithKeyRingCertificateAndWrongPassword_ExitsWithOneLineWithoutThePassword()
    {
        var pfx = TestCertificates.CreateRsaPfx();

        await using var server = ServerProcess.Start(_directory, new Dictionary<string, string>
        {
            ["DataProtection__Certificate__Path"] = pfx.Path,
            ["DataProtection__Certificate__Password"] = "not-the-pfx-password",
        });

        Assert.True(await server.WaitForExitAsync(Timeout), "The server kept running.");
        Assert.Equal(1, server.ExitCode);
        var line = Assert.Single(server.ErrorLines);
        Assert.StartsWith("Configuration error: DataProtection:Certificate:Path (env DataProtection__Certificate__Path)", line, StringComparison.Ordinal);
        Assert.Contains("DataProtection:Certificate:Password does not open", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-pfx-password", server.StandardError + server.StandardOutput, StringComparison.Ordinal);
        AssertNoStackTraceAndNoDatabase(server);
    }

    /// <summary>
    /// A key ring encrypted with a certificate, then the server started without it: the ring cannot be
    /// read, so the start is refused with one line naming the certificate, after the migrations but
    /// before Data Protection would replace the keys it cannot read.
    /// </summary>
    [Fact]
    public async Task Start_WithoutTheCertificateThatEncryptedTheKeyRing_ExitsWithOneLineNamingIt()
    {
        var pfx = TestCertificates.CreateRsaPfx();
        await using (var first = ServerProcess.Start(_directory, new Dictionary<string, string>
        {
            ["DataProtection__Certificate__Path"] = pfx.Path,
            ["DataProtection__Certificate__Password"] = pfx.Password,
        }))
        {
            Assert.True(await first.WaitForOutputAsync("Now listening on", Timeout), $"Not started: {first.StandardOutput}\n{first.StandardError}");
        }

        await using var server = ServerProcess.Start(_directory, new Dictionary<string, string>());

        Assert.True(await server.WaitForExitAsync(Timeout), "The server kept running.");
        Assert.Equal(1, server.ExitCode);
        var line = Assert.Single(server.ErrorLines);
        Assert.StartsWith("Configuration error: DataProtection:Certificate (env DataProtection__Certificate__Path or DataProtection__Certificate__Thumbprint) is not set", line, StringComparison.Ordinal);
        Assert.Contains($"encrypted with {pfx.Subject} (thumbprint {pfx.Thumbprint}", line, StringComparison.Ordinal);
        var all = server.StandardError + "\n" + server.StandardOutput;
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
    }

    /// <summary>The control: with good settings the same process starts and creates its database, so the checks above can fail.</summary>
    [Fact]
    public async Task Start_WithGoodSettings_ListensAndCreatesTheDatabase()
    {
        await using var server = ServerProcess.Start(_directory, new Dictionary<string, string> { ["Jwt__AccessTokenLifetime"] = "00:15:00" });

        Assert.True(await server.WaitForOutputAsync("Now listening on", Timeout), $"Not started: {server.StandardOutput}\n{server.StandardError}");
        Assert.Empty(server.ErrorLines);
        Assert.True(File.Exists(Path.Combine(_directory, "data", "authplatform.db")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a dying process: the temp folder is cleaned later
        }
    }

    private void AssertNoStackTraceAndNoDatabase(ServerProcess server)
    {
        var all = server.StandardError + "\n" + server.StandardOutput;
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.db*", SearchOption.AllDirectories));
    }
}
