using System.Net;
using System.Net.Http.Json;
using Acme.AuthPlatform.Extensions.Passwords;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Extensions;

/// <summary>
/// Extension point 3, a replaced port: the example's <c>AcmePasswordPolicy</c> stands in for the
/// default <c>IPasswordPolicy</c> in registration and password change; its refusals are
/// <c>validation_failed</c> on the password field with its own messages, and the default's
/// common-password check still applies because the policy wraps it.
/// </summary>
public abstract class PasswordPolicyTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : AcmeExtensionFixture
{
    private async Task<string[]> RefusedPasswordMessagesAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        return problem["errors"]![field]!.AsArray().Select(m => (string)m!).ToArray();
    }

    [Theory]
    [InlineData("Welcome to ACME, 2026!")]
    [InlineData("myacmepassphrase")]
    public async Task Register_PasswordWithTheCompanyName_Returns400WithThePolicyMessage(string password)
    {
        var response = await PostJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password, name = "Wile E." });

        Assert.Equal([AcmePasswordPolicy.ContainsCompanyName], await RefusedPasswordMessagesAsync(response, "password"));
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>("SELECT COUNT(*) FROM users")); // the bootstrap administrator only
    }

    [Fact]
    public async Task Register_PasswordWithTheEmailName_Returns400WithThePolicyMessage()
    {
        var email = $"marguerite@{Guid.NewGuid():N}.example.com";

        var response = await PostJsonAsync("/api/v1/auth/register", new { email, password = "Marguerite likes long walks", name = "M" });

        Assert.Equal([AcmePasswordPolicy.ContainsEmailName], await RefusedPasswordMessagesAsync(response, "password"));
    }

    [Fact]
    public async Task Register_CommonPassword_IsStillRefusedByTheWrappedDefault()
    {
        var response = await PostJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password = "password12345", name = "Common" });

        Assert.Equal([CommonPasswordPolicy.TooCommon], await RefusedPasswordMessagesAsync(response, "password"));
    }

    [Fact]
    public async Task Register_GoodPassword_Returns201()
    {
        var response = await PostJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password = "correct horse battery staple", name = "Good" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_NewPasswordWithTheCompanyName_Returns400AndKeepsTheOldPassword()
    {
        var email = NewEmail();
        await RegisterAsync(email);
        using var office = ProxiedClients.From(Factory, "10.0.0.5");
        var token = Str(await ReadObjectAsync(await office.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })), "token");

        var response = await PostJsonAsync("/api/v1/auth/password", new { current_password = Password, new_password = "acme forever and ever" }, token);

        Assert.Equal([AcmePasswordPolicy.ContainsCompanyName], await RefusedPasswordMessagesAsync(response, "new_password"));
        var again = await office.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}

public sealed class PasswordPolicyTestsOnSqlite(AcmeOnSqliteFixture fixture) : PasswordPolicyTests<AcmeOnSqliteFixture>(fixture);

public sealed class PasswordPolicyTestsOnPostgres(AcmeOnPostgresFixture fixture) : PasswordPolicyTests<AcmeOnPostgresFixture>(fixture);
