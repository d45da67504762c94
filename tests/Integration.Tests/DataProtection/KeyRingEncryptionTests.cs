// Longer than 150 lines because each test starts the real application once or twice over one database, and reads the stored key ring directly.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Auth;
using AuthPlatform.Integration.Tests.Infrastructure;
using AuthPlatform.WebApi.Startup;

namespace AuthPlatform.Integration.Tests.DataProtection;

/// <summary>
/// The Data Protection key ring (table <c>data_protection_keys</c>, which decrypts the signing keys and
/// TOTP secrets) at rest: encrypted with <c>DataProtection:Certificate</c> when one is set, in clear
/// otherwise; still readable by a restarted server with the same certificate, or with a new one and
/// the old one listed; and a start without the certificate is refused, naming it.
/// </summary>
public abstract class KeyRingEncryptionTests(DatabaseKind kind) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(kind);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Start_WithCertificate_StoresTheKeyRingEncryptedWithIt()
    {
        var pfx = TestCertificates.CreateRsaPfx();

        await using (var app = Start(pfx.Settings()))
        {
            await LoginAsync(app); // the signing key, protected by the ring, exists since the start
        }

        var keys = await StoredKeysAsync();
        Assert.NotEmpty(keys);
        foreach (var xml in keys)
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.Contains(CertificateBase64(pfx), xml, StringComparison.Ordinal); // encrypted to this certificate
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }
    }

    /// <summary>The control: without a certificate the master key is in the table in clear, so the test above can fail.</summary>
    [Fact]
    public async Task Start_WithoutCertificate_StoresTheMasterKeyInClear()
    {
        await using (var app = Start())
        {
            await LoginAsync(app);
        }

        var xml = Assert.Single(await StoredKeysAsync());
        Assert.Contains("<masterKey", xml, StringComparison.Ordinal);
        Assert.Contains("<value>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("encryptedSecret", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithSameCertificate_AcceptsEarlierTokensAndSignsWithTheSameKey()
    {
        var pfx = TestCertificates.CreateRsaPfx();
        string before;
        await using (var first = Start(pfx.Settings()))
        {
            before = await LoginAsync(first);
        }

        await using var second = Start(pfx.Settings());
        var after = await LoginAsync(second); // signing needs the private key, decrypted through the ring

        Assert.Equal(HttpStatusCode.OK, await MeAsync(second, before));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(second, after));
        Assert.Equal(Kid(before), Kid(after));
        Assert.Single(await StoredKeysAsync());
    }

    [Fact]
    public async Task Restart_WithoutTheCertificate_IsRefusedNamingItAndLeavesTheRingAlone()
    {
        var pfx = TestCertificates.CreateRsaPfx();
        await using (var first = Start(pfx.Settings()))
        {
            await LoginAsync(first);
        }

        var stored = await StoredKeysAsync();
        await using var second = Start();

        var error = Assert.ThrowsAny<Exception>(() => second.Server);
        var refused = Assert.IsType<StartupConfigurationException>(error.GetBaseException());
        var line = Assert.Single(refused.Lines);
        Assert.StartsWith("Configuration error: DataProtection:Certificate (env DataProtection__Certificate__Path or DataProtection__Certificate__Thumbprint) is not set", line, StringComparison.Ordinal);
        Assert.Contains($"encrypted with {pfx.Subject} (thumbprint {pfx.Thumbprint}", line, StringComparison.Ordinal);
        Assert.Equal(stored, await StoredKeysAsync()); // Data Protection did not replace the keys it could not read
    }

    /// <summary>Rotation: the old certificate listed reads the ring, which moves to the new one; from then on the new one alone is enough.</summary>
    [Fact]
    public async Task Restart_WithNewCertificateAndTheOldOneListed_MovesTheRingToTheNewOne()
    {
        var old = TestCertificates.CreateRsaPfx("authplatform-keyring-2025");
        var current = TestCertificates.CreateRsaPfx("authplatform-keyring-2026");
        string before;
        await using (var first = Start(old.Settings()))
        {
            before = await LoginAsync(first);
        }

        var settings = current.Settings();
        foreach (var (key, value) in old.Settings("DataProtection:OldCertificates:0"))
        {
            settings[key] = value;
        }

        await using (var second = Start(settings))
        {
            Assert.Equal(Kid(before), Kid(await LoginAsync(second)));
            Assert.Equal(HttpStatusCode.OK, await MeAsync(second, before));
        }

        var xml = Assert.Single(await StoredKeysAsync());
        Assert.Contains(CertificateBase64(current), xml, StringComparison.Ordinal);
        Assert.DoesNotContain(CertificateBase64(old), xml, StringComparison.Ordinal);

        await using var third = Start(current.Settings());
        Assert.Equal(Kid(before), Kid(await LoginAsync(third)));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(third, before));
    }

    /// <summary>The control of the rotation: a new certificate without the old one listed cannot read the ring.</summary>
    [Fact]
    public async Task Restart_WithNewCertificateWithoutTheOldOne_IsRefusedNamingTheOldOne()
    {
        var old = TestCertificates.CreateRsaPfx("authplatform-keyring-2025");
        var current = TestCertificates.CreateRsaPfx("authplatform-keyring-2026");
        await using (var first = Start(old.Settings()))
        {
            await LoginAsync(first);
        }

        await using var second = Start(current.Settings());

        var error = Assert.ThrowsAny<Exception>(() => second.Server);
        var line = Assert.Single(Assert.IsType<StartupConfigurationException>(error.GetBaseException()).Lines);
        Assert.Contains($"names {current.Subject} (thumbprint {current.Thumbprint}), but the Data Protection key ring in the database is encrypted with {old.Subject} (thumbprint {old.Thumbprint}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithCertificateAfterRunningWithout_EncryptsTheKeysAlreadyStored()
    {
        string before;
        await using (var first = Start())
        {
            before = await LoginAsync(first);
        }

        var clear = Assert.Single(await StoredKeysAsync());
        var masterKey = clear[(clear.IndexOf("<value>", StringComparison.Ordinal) + 7)..clear.IndexOf("</value>", StringComparison.Ordinal)];
        var pfx = TestCertificates.CreateRsaPfx();

        await using var second = Start(pfx.Settings());
        var after = await LoginAsync(second);

        var xml = Assert.Single(await StoredKeysAsync());
        Assert.DoesNotContain(masterKey, xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.Contains(CertificateBase64(pfx), xml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(second, before));
        Assert.Equal(Kid(before), Kid(after));
        Assert.Contains(second.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("1 stored in clear, 0 encrypted with an old certificate", StringComparison.Ordinal));
    }

    private AuthApiFactory Start(Dictionary<string, string?>? settings = null) => new(_database, settings);

    private async Task<List<string>> StoredKeysAsync()
    {
        var keys = new List<string>();
        await using var connection = _database.Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static string CertificateBase64(TestPfx pfx)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(pfx.Path, pfx.Password);
        return Convert.ToBase64String(certificate.RawData);
    }

    /// <summary>Logs the bootstrap administrator in (a token signed with the current key); returns the access token.</summary>
    private static async Task<string> LoginAsync(AuthApiFactory app)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = AuthApiFactory.AdminEmail, password = AuthApiFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["token"] ?? throw new InvalidOperationException("No token.");
    }

    private static async Task<HttpStatusCode> MeAsync(AuthApiFactory app, string token)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }

    private static string Kid(string token) => Jws.Header(token)["kid"]!.GetValue<string>();
}

public sealed class KeyRingEncryptionTestsOnSqlite() : KeyRingEncryptionTests(DatabaseKind.Sqlite);

public sealed class KeyRingEncryptionTestsOnPostgres() : KeyRingEncryptionTests(DatabaseKind.Postgres);
