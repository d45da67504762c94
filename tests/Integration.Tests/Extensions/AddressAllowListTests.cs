using System.Net;
using System.Net.Http.Json;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Extensions;

/// <summary>
/// Extension point 2, a pipeline behaviour: the example refuses both sign-in steps from outside
/// <c>Acme:AllowedNetworks</c> (10.0.0.0/8, 2001:db8:ac::/48) with its own code, 403
/// <c>address_not_allowed</c>, and nothing of the refused attempt reaches the database. Clients
/// reach the app through the trusted proxy, which names them in <c>X-Forwarded-For</c>.
/// </summary>
public abstract class AddressAllowListTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : AcmeExtensionFixture
{
    private const string Office = "10.20.30.40";
    private const string Outside = "198.51.100.7";

    private async Task<HttpResponseMessage> LoginFromAsync(string address, string email, string password = Password)
    {
        using var client = ProxiedClients.From(Factory, address);
        return await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
    }

    private Task<long> CountAsync(string sql) => Factory.Database.ScalarAsync<long>(sql);

    [Theory]
    [InlineData(Office)]
    [InlineData("2001:db8:ac::7")]
    public async Task Login_FromAnAllowedAddress_StartsASession(string address)
    {
        var email = NewEmail();
        await RegisterAsync(email);

        var response = await LoginFromAsync(address, email);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(Str(await ReadObjectAsync(response), "token")));
    }

    [Theory]
    [InlineData(Outside, Password)]
    [InlineData(Outside, "a wrong password guess")]
    [InlineData("11.0.0.1", Password)]
    [InlineData("2001:db8:ad::7", Password)]
    public async Task Login_FromADisallowedAddress_Returns403AndChangesNothing(string address, string password)
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var auditRows = await CountAsync("SELECT COUNT(*) FROM audit_events");

        var response = await LoginFromAsync(address, email, password);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "address_not_allowed");
        Assert.Null(problem["token"]);
        Assert.DoesNotContain(address, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(auditRows, await CountAsync("SELECT COUNT(*) FROM audit_events"));
        Assert.Equal(0L, await CountAsync("SELECT COALESCE(SUM(failures + in_flight), 0) FROM attempt_counters"));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families"));
        Assert.Equal(HttpStatusCode.OK, (await LoginFromAsync(Office, email)).StatusCode);
    }

    [Fact]
    public async Task Login_UnknownEmailFromADisallowedAddress_Returns403AndWritesNoAudit()
    {
        var auditRows = await CountAsync("SELECT COUNT(*) FROM audit_events");

        var response = await LoginFromAsync(Outside, NewEmail());

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "address_not_allowed");
        Assert.Equal(auditRows, await CountAsync("SELECT COUNT(*) FROM audit_events"));
    }

    /// <summary>X-Forwarded-For counts only from the trusted proxy: a client cannot name itself into the office.</summary>
    [Fact]
    public async Task Login_ForwardedHeaderFromAnUntrustedConnection_IsIgnoredAndRefused()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var client = ProxiedClients.From(Factory, Office, connectedFrom: "203.0.113.9");

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "address_not_allowed");
    }

    [Fact]
    public async Task SecondStep_FromADisallowedAddress_Returns403AndLeavesTheCodeUnused()
    {
        var (email, secret) = await EnrolTwoFactorAsync();
        using var office = ProxiedClients.From(Factory, Office);
        var challenge = await ReadObjectAsync(await office.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }));
        var step = new { mfa_token = Str(challenge, "mfa_token"), code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow()) };
        var auditRows = await CountAsync("SELECT COUNT(*) FROM audit_events");
        var lastStep = await CountAsync("SELECT COALESCE(MAX(last_totp_step), 0) FROM users");

        using var outside = ProxiedClients.From(Factory, Outside);
        var refused = await outside.PostAsJsonAsync("/api/v1/auth/login/2fa", step);

        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "address_not_allowed");
        Assert.Equal(auditRows, await CountAsync("SELECT COUNT(*) FROM audit_events"));
        Assert.Equal(lastStep, await CountAsync("SELECT COALESCE(MAX(last_totp_step), 0) FROM users"));
        Assert.Equal(0L, await CountAsync("SELECT COALESCE(SUM(failures + in_flight), 0) FROM attempt_counters"));
        var accepted = await office.PostAsJsonAsync("/api/v1/auth/login/2fa", step);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private async Task<(string Email, string Secret)> EnrolTwoFactorAsync()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        var session = await ReadObjectAsync(await LoginFromAsync(Office, email));
        var token = Str(session, "token");
        var setup = await ReadObjectAsync(await PostJsonAsync("/api/v1/auth/2fa/setup", new { }, token));
        var secret = Str(setup, "secret");
        var enable = await PostJsonAsync("/api/v1/auth/2fa/enable", new { code = IndependentTotp.Code(secret, Factory.Clock.GetUtcNow()) }, token);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Factory.Clock.Advance(TimeSpan.FromSeconds(30)); // the enrolment used this step's code
        return (email, secret);
    }
}

public sealed class AddressAllowListTestsOnSqlite(AcmeOnSqliteFixture fixture) : AddressAllowListTests<AcmeOnSqliteFixture>(fixture);

public sealed class AddressAllowListTestsOnPostgres(AcmeOnPostgresFixture fixture) : AddressAllowListTests<AcmeOnPostgresFixture>(fixture);
