using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Extensions;

/// <summary>
/// Extension point 1, a domain-event handler: the example's <c>PushNewUserToDirectory</c> handles
/// <c>UserRegistered</c> and calls its directory port after the commit, and only then.
/// </summary>
public abstract class ExternalDirectoryTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : AcmeExtensionFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Fixture.Directory.Clear();
    }

    [Fact]
    public async Task Register_Succeeds_PushesTheUserOnceAfterTheCommit()
    {
        var email = NewEmail();

        var user = await RegisterAsync(email, name: "Ada Lovelace");

        var call = Assert.Single(Fixture.Directory.Calls);
        Assert.Equal(Guid.Parse(Str(user, "id")), call.User.Id);
        Assert.Equal(email, call.User.Email);
        Assert.Equal("Ada Lovelace", call.User.Name);
        Assert.True(call.Committed, "The directory was called before the user's row was committed.");
    }

    [Fact]
    public async Task Register_DuplicateEmail_Returns409AndPushesNothing()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        Fixture.Directory.Clear();

        var again = await PostJsonAsync("/api/v1/auth/register", new { email = email.ToUpperInvariant(), password = Password, name = "Twin" });

        await AssertProblemAsync(again, HttpStatusCode.Conflict, "conflict");
        Assert.Empty(Fixture.Directory.Calls);
    }

    /// <summary>
    /// Parallel registrations of one email all pass the handler's existence check; the unique index
    /// refuses all but one at SaveChanges, after their events were handled. Only the committed
    /// registration may reach the directory.
    /// </summary>
    [Fact]
    public async Task Register_ParallelWithOneEmail_PushesOnlyTheCommittedUser()
    {
        var email = NewEmail();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await PostJsonAsync("/api/v1/auth/register", new { email, password = Password, name = $"Racer {i}" });
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(attempts);

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r != created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var call = Assert.Single(Fixture.Directory.Calls);
        Assert.Equal(Guid.Parse(Str(await ReadObjectAsync(created), "id")), call.User.Id);
        Assert.True(call.Committed);
    }

    [Fact]
    public async Task Register_DirectoryDown_StillCreatesTheAccount()
    {
        Fixture.Directory.FailWith = new HttpRequestException("directory unreachable");
        var email = NewEmail();

        await RegisterAsync(email);

        Assert.Single(Fixture.Directory.Calls);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM users WHERE normalized_email = @email", ("@email", email.ToUpperInvariant())));
        Assert.Contains("could not be pushed to the external directory", Factory.Logs.AllText, StringComparison.Ordinal);
    }
}

public sealed class ExternalDirectoryTestsOnSqlite(AcmeOnSqliteFixture fixture) : ExternalDirectoryTests<AcmeOnSqliteFixture>(fixture);

public sealed class ExternalDirectoryTestsOnPostgres(AcmeOnPostgresFixture fixture) : ExternalDirectoryTests<AcmeOnPostgresFixture>(fixture);
