using System.Net;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using static AuthPlatform.Integration.Tests.Cluster.ClusterFixture;

namespace AuthPlatform.Integration.Tests.Cluster;

/// <summary>
/// Issue 12, graceful behaviour: three nodes started at the same moment on one empty PostgreSQL database
/// take the start-up steps in turn (StartupLock), so the migrations run once, one signing key signs, one
/// Data Protection key protects it, one bootstrap administrator exists, and each node signs in and accepts
/// the others' tokens.
/// </summary>
public sealed class ConcurrentStartupTests
{
    [Fact]
    public async Task ThreeNodes_StartingTogetherOnAnEmptyDatabase_ConvergeOnOneSigningKey()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        AuthApiFactory[] nodes = [new(database), new(database), new(database)];
        var now = DateTimeOffset.UtcNow; // one instant on every node's frozen clock, whichever creates the key
        foreach (var node in nodes)
        {
            node.Clock.SetUtcNow(now);
        }

        try
        {
            using var start = new Barrier(nodes.Length);
            await Task.WhenAll(nodes.Select(node => Task.Run(() =>
            {
                start.SignalAndWait();
                _ = node.Server; // runs the start-up tasks: migrations, key ring, signing key, administrator, CLI client
            })));

            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM signing_keys"));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM users WHERE lower(email) = @e", ("e", AuthApiFactory.AdminEmail)));
            var migrations = await database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\"");
            Assert.Equal(migrations, await database.ScalarAsync<long>("SELECT count(DISTINCT \"MigrationId\") FROM \"__EFMigrationsHistory\""));
            var kid = await database.ScalarAsync<string>("SELECT key_id FROM signing_keys");

            var clients = nodes.Select((node, i) => ClientAt.Connection(node, $"192.0.2.{91 + i}")).ToArray();
            var tokens = new List<string>();
            foreach (var client in clients)
            {
                Assert.Contains(kid!, await client.GetStringAsync("/.well-known/jwks.json"), StringComparison.Ordinal);
                var session = await SignInAsync(client, AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
                tokens.Add((string)session["token"]!);
            }

            for (var i = 0; i < clients.Length; i++)
            {
                var other = clients[(i + 1) % clients.Length];
                Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(other, tokens[i])).StatusCode);
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
