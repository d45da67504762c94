using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>Hashes made with fewer iterations than configured are replaced at the next successful login.</summary>
public sealed class PasswordHashUpgradeTests
{
    private const string Password = "an upgradeable passphrase";

    [Fact]
    public async Task Login_WhenHashHasFewerIterationsThanConfigured_StoresAStrongerHash()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var email = $"old-{Guid.NewGuid():N}@example.com";
        await using (var before = new AuthApiFactory(database, new Dictionary<string, string?> { ["Passwords:Iterations"] = "1000" }))
        {
            using var client = before.CreateClient();
            var registered = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Old" });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        Assert.Equal(1000, await IterationsOfAsync(database, email));

        await using var after = new AuthApiFactory(database, new Dictionary<string, string?> { ["Passwords:Iterations"] = "5000" });
        using var upgraded = after.CreateClient();
        var wrong = await upgraded.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "not the passphrase" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(1000, await IterationsOfAsync(database, email)); // a failed login changes no hash

        var login = await upgraded.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(5000, await IterationsOfAsync(database, email));
        var again = await upgraded.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    /// <summary>Identity's v3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), ...</summary>
    private static async Task<int> IterationsOfAsync(TestDatabase database, string email)
    {
        var hash = await database.ScalarAsync<string>(
            "SELECT password_hash FROM users WHERE normalized_email = @e", ("@e", email.ToUpperInvariant()));
        var bytes = Convert.FromBase64String(hash!);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4))); // HMACSHA512
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5, 4));
    }
}
