using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acme.AuthPlatform.Extensions;
using Acme.AuthPlatform.Extensions.ExternalDirectory;
using Acme.AuthPlatform.Extensions.Passwords;
using AuthPlatform.Application.Extensions;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Integration.Tests.Extensions;

/// <summary>
/// How an extension is loaded: the configuration entry <c>Extensions:Assemblies</c> (a path or an
/// assembly name) or the one-line <c>AddAuthPlatformExtension&lt;T&gt;()</c>; a wrong entry stops
/// the start-up naming the setting. Each test starts an app of its own on SQLite.
/// </summary>
public sealed class ExtensionLoadingTests
{
    private const string AcmePassword = "the acme corporation passphrase";

    private static async Task<HttpResponseMessage> RegisterWithAcmePasswordAsync(AuthApiFactory factory)
    {
        using var client = factory.CreateClient();
        return await client.PostAsJsonAsync("/api/v1/auth/register", new { email = $"u-{Guid.NewGuid():N}@example.com", password = AcmePassword, name = "U" });
    }

    private static async Task AssertRefusedByAcmeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(AcmePasswordPolicy.ContainsCompanyName, (string?)problem["errors"]!["password"]![0]);
    }

    private static async Task<string> StartupFailureAsync(Dictionary<string, string?> settings)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var factory = new AuthApiFactory(database, settings);
        var failure = Record.Exception(() => factory.Server);
        Assert.NotNull(failure);
        var messages = new List<string>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" | ", messages);
    }

    [Fact]
    public async Task ExtensionsAssemblies_AssemblyName_LoadsTheExtension()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var factory = new AuthApiFactory(database, AcmeExtensionFixture.Settings("Acme.AuthPlatform.Extensions"));

        await AssertRefusedByAcmeAsync(await RegisterWithAcmePasswordAsync(factory));
    }

    [Fact]
    public async Task ExtensionsAssemblies_SingleValueInsteadOfAList_LoadsTheExtension()
    {
        var settings = AcmeExtensionFixture.Settings("");
        settings.Remove("Extensions:Assemblies:0");
        settings["Extensions:Assemblies"] = typeof(AcmeExtension).Assembly.Location;
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var factory = new AuthApiFactory(database, settings);

        await AssertRefusedByAcmeAsync(await RegisterWithAcmePasswordAsync(factory));
    }

    [Fact]
    public async Task ExtensionsAssemblies_SameAssemblyByPathAndByName_IsCalledOnce()
    {
        var settings = AcmeExtensionFixture.Settings(typeof(AcmeExtension).Assembly.Location);
        settings["Extensions:Assemblies:1"] = "Acme.AuthPlatform.Extensions";
        var directory = new RecordingDirectory();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        directory.Database = database;
        await using var factory = new AuthApiFactory(database, settings, s => s.AddSingleton<IExternalDirectory>(directory));
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = "once@example.com", password = "correct horse battery staple", name = "Once" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(directory.Calls);
    }

    [Fact]
    public async Task AddAuthPlatformExtension_OneLine_AppliesTheExtension()
    {
        var settings = AcmeExtensionFixture.Settings("");
        settings.Remove("Extensions:Assemblies:0");
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var factory = new AuthApiFactory(database, settings, services => services.AddAuthPlatformExtension<AcmeExtension>());

        await AssertRefusedByAcmeAsync(await RegisterWithAcmePasswordAsync(factory));
        using var outside = ProxiedClients.From(factory, "198.51.100.7");
        var login = await outside.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApiFactory.AdminEmail, password = AcmeExtensionFixture.AdminPassword });
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
    }

    [Fact]
    public async Task Register_WithoutTheExtension_AcceptsThePasswordAcmeRefuses()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var factory = new AuthApiFactory(database);

        var response = await RegisterWithAcmePasswordAsync(factory);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Startup_ExtensionAssemblyMissing_FailsNamingTheSetting()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"nothing-{Guid.NewGuid():N}", "Acme.AuthPlatform.Extensions.dll");

        var failure = await StartupFailureAsync(AcmeExtensionFixture.Settings(missing));

        Assert.Contains($"Extensions:Assemblies:0: no extension assembly at '{missing}'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AuthPlatform.Domain", "contains no public class that implements IAuthPlatformExtension")]
    [InlineData("No.Such.Assembly", "cannot be loaded")]
    public async Task Startup_AssemblyWithoutAnExtension_FailsNamingTheSetting(string entry, string expected)
    {
        var failure = await StartupFailureAsync(AcmeExtensionFixture.Settings(entry));

        Assert.Contains("Extensions:Assemblies:0:", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_BootstrapPasswordRefusedByTheReplacedPolicy_Fails()
    {
        var settings = AcmeExtensionFixture.Settings(typeof(AcmeExtension).Assembly.Location);
        settings["Bootstrap:AdminPassword"] = "acme administrator passphrase";

        var failure = await StartupFailureAsync(settings);

        Assert.Contains("Bootstrap:AdminPassword", failure, StringComparison.Ordinal);
        Assert.Contains(AcmePasswordPolicy.ContainsCompanyName, failure, StringComparison.Ordinal);
    }
}
