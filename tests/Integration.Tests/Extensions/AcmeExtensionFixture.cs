using System.Collections.Concurrent;
using System.Net;
using Acme.AuthPlatform.Extensions;
using Acme.AuthPlatform.Extensions.ExternalDirectory;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Extensions;

/// <summary>
/// The real app with the example extension loaded through its configuration entry
/// (<c>Extensions:Assemblies:0</c> = the built assembly's path), behind one trusted proxy, with a
/// recording directory in place of the extension's own.
/// </summary>
public abstract class AcmeExtensionFixture(DatabaseKind kind) : ApiFixture(kind)
{
    /// <summary>The reverse proxy (<c>ForwardedHeaders:KnownProxies</c>) every client connects through.</summary>
    public const string Proxy = "192.0.2.10";

    /// <summary>The default bootstrap password holds "admin", the name of the administrator's email: Acme's policy refuses it.</summary>
    public const string AdminPassword = "bootstrap root passphrase";

    public RecordingDirectory Directory { get; } = new();

    public static Dictionary<string, string?> Settings(string extensionEntry) => new()
    {
        ["Extensions:Assemblies:0"] = extensionEntry,
        ["Bootstrap:AdminPassword"] = AdminPassword,
        ["Acme:AllowedNetworks:0"] = "10.0.0.0/8",
        ["Acme:AllowedNetworks:1"] = "2001:db8:ac::/48",
        ["ForwardedHeaders:KnownProxies:0"] = Proxy,
    };

    protected override AuthApiFactory CreateFactory(TestDatabase database)
    {
        Directory.Database = database;
        return new AuthApiFactory(
            database, Settings(typeof(AcmeExtension).Assembly.Location), services => services.AddSingleton<IExternalDirectory>(Directory));
    }
}

public sealed class AcmeOnSqliteFixture() : AcmeExtensionFixture(DatabaseKind.Sqlite);

public sealed class AcmeOnPostgresFixture() : AcmeExtensionFixture(DatabaseKind.Postgres);

/// <summary>
/// The test's directory: records each push and whether, at that moment, the user's row was
/// already visible to another connection (committed).
/// </summary>
public sealed class RecordingDirectory : IExternalDirectory
{
    public sealed record Call(DirectoryUser User, bool Committed);

    private readonly ConcurrentQueue<Call> _calls = new();

    public TestDatabase? Database { get; set; }

    public Exception? FailWith { get; set; }

    public IReadOnlyList<Call> Calls => _calls.ToArray();

    public void Clear()
    {
        _calls.Clear();
        FailWith = null;
    }

    public async Task AddUserAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        var rows = await Database!.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE normalized_email = @email", ("@email", user.Email.ToUpperInvariant()));
        _calls.Enqueue(new Call(user, rows == 1));
        if (FailWith is not null)
        {
            throw FailWith;
        }
    }
}

/// <summary>Clients that reach the app the way a deployment does: through the trusted proxy, which names the client.</summary>
public static class ProxiedClients
{
    /// <summary>A client at <paramref name="address"/>, connected through <paramref name="connectedFrom"/> (the proxy by default).</summary>
    public static HttpClient From(AuthApiFactory factory, string address, string connectedFrom = AcmeExtensionFixture.Proxy)
    {
        var handler = factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(connectedFrom));
        var client = new HttpClient(handler) { BaseAddress = factory.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }
}
