using System.Net;
using AuthPlatform.Infrastructure.Cluster;
using AuthPlatform.Infrastructure.DataProtection;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using static AuthPlatform.Integration.Tests.Cluster.ClusterFixture;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// <c>DataProtection:Store=redis</c> (ADR 0022): the Data Protection key ring is kept in Redis, not in the
/// database, and shared by the nodes through it; a deployment that moves from the database store keeps
/// what its keys protect (the keys are copied to Redis at the first start with the new store).
/// </summary>
public sealed class RedisKeyRingTests
{
    private const string Purpose = "cluster-key-ring-test";

    /// <summary>Both nodes' settings: the shared Redis under a prefix of the test's own, and the store (null: not set, the database).</summary>
    private static Dictionary<string, string?> Settings(string prefix, string? store)
    {
        var settings = new Dictionary<string, string?> { ["Redis:Connection"] = TestRedis.SharedAddress(), ["Redis:Prefix"] = prefix };
        if (store is not null)
        {
            settings["DataProtection:Store"] = store;
        }

        return settings;
    }

    private static IDataProtector Protector(AuthApiFactory node) => node.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

    private static async Task<long> RedisKeysAsync(AuthApiFactory node)
    {
        var redis = node.Services.GetRequiredService<RedisConnection>();
        return await redis.Multiplexer.GetDatabase().ListLengthAsync(RedisKeyRing.Key(redis));
    }

    [Fact]
    public async Task StoreRedis_ValueProtectedOnNodeA_IsUnprotectedOnNodeB_AndTheRingIsInRedisOnly()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = Settings($"test-{Guid.NewGuid():N}", "redis");
        await using var a = new AuthApiFactory(database, settings);
        _ = a.Server; // makes the Data Protection key, and the signing key it protects
        await using var b = new AuthApiFactory(database, settings);
        _ = b.Server;

        var protectedOnA = Protector(a).Protect("a value of node A");

        Assert.Equal("a value of node A", Protector(b).Unprotect(protectedOnA));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
        Assert.Equal(1L, await RedisKeysAsync(a));
        using var clientA = ClientAt.Connection(a, "192.0.2.85");
        using var clientB = ClientAt.Connection(b, "192.0.2.85");
        var session = await SignInAsync(clientA, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword); // signed with the key the ring decrypts
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(clientB, (string)session["token"]!)).StatusCode);
    }

    [Fact]
    public async Task StoreRedis_AfterTheDatabaseStore_CopiesTheDatabasesKeys_SoWhatTheyProtectStaysReadable()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var prefix = $"test-{Guid.NewGuid():N}";
        string protectedBefore;
        await using (var before = new AuthApiFactory(database, Settings(prefix, null)))
        {
            _ = before.Server;
            protectedBefore = Protector(before).Protect("protected with the database's ring");
            Assert.Equal(0L, await RedisKeysAsync(before));
        }

        await using var after = new AuthApiFactory(database, Settings(prefix, "redis"));
        _ = after.Server; // decrypts the signing key made under the database's ring

        Assert.Equal("protected with the database's ring", Protector(after).Unprotect(protectedBefore));
        Assert.Equal(await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"), await RedisKeysAsync(after));
        using var client = ClientAt.Connection(after, "192.0.2.86");
        await SignInAsync(client, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
    }
}
