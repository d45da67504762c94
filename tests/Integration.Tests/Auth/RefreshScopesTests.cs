using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>
/// A refresh re-reads the user's role: the new access token carries the scopes the login granted
/// (the session's scopes, a cap) that the role still grants now.
/// </summary>
public abstract class RefreshScopesTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task Refresh_AfterTheAdministratorIsDemoted_TheNewTokenLacksAdmin()
    {
        var session = await LoginAsync(AuthApiFactory.AdminEmail, AuthApiFactory.AdminPassword);
        Assert.Contains("admin", ScopesOf(Str(session, "token")));

        // The only administrator cannot demote themselves through the API: the row is changed as an operator's tool would.
        await using (var connection = Factory.Database.Open())
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE users SET role = 'User' WHERE role = 'Admin'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var refreshed = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = Str(session, "refresh_token") }));

        var token = Str(refreshed, "token");
        Assert.DoesNotContain("admin", ScopesOf(token));
        Assert.Contains("profile", ScopesOf(token));
        Assert.Equal("user", new JsonWebToken(token).GetPayloadValue<string>("role"));
        await AssertProblemAsync(await GetAsync("/api/v1/admin/users", token), HttpStatusCode.Forbidden, "insufficient_scope");
    }

    internal static IReadOnlyList<string> ScopesOf(string token) =>
        new JsonWebToken(token).GetPayloadValue<string>("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

public sealed class RefreshScopesTestsOnSqlite(SqliteApiFixture fixture) : RefreshScopesTests<SqliteApiFixture>(fixture);

public sealed class RefreshScopesTestsOnPostgres(PostgresApiFixture fixture) : RefreshScopesTests<PostgresApiFixture>(fixture);

/// <summary>The operator's scope catalog changes between a login and a refresh (two instances, one database).</summary>
public sealed class RefreshOperatorScopesTests
{
    private const string Password = "operator scoped passphrase";

    [Fact]
    public async Task Refresh_AfterTheOperatorDropsAScope_TheNewTokenLacksItAndAddedScopesWaitForTheNextLogin()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var before = new AuthApiFactory(database, new Dictionary<string, string?> { ["Scopes:Custom:0"] = "models.read" });
        using var beforeClient = before.CreateClient();
        var email = $"user-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await beforeClient.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Op" })).StatusCode);
        var login = await Json(await beforeClient.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }));
        Assert.Contains("models.read", RefreshScopesTests<SqliteApiFixture>.ScopesOf((string)login["token"]!));

        await using var after = new AuthApiFactory(database, new Dictionary<string, string?> { ["Scopes:Custom:0"] = "objects.read" });
        using var afterClient = after.CreateClient();
        var refreshed = await Json(await afterClient.PostAsJsonAsync("/api/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! }));

        var scopes = RefreshScopesTests<SqliteApiFixture>.ScopesOf((string)refreshed["token"]!);
        Assert.DoesNotContain("models.read", scopes); // dropped by the operator: gone at the refresh
        Assert.DoesNotContain("objects.read", scopes); // added since the login: the session's scopes are a cap
        Assert.Contains("profile", scopes);
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
