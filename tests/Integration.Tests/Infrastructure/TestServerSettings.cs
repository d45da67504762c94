using Microsoft.AspNetCore.Hosting;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// The settings every in-process test server starts with: a database of its own, cheap password hashing, budgets
/// no test exhausts by accident, the bootstrap administrator, signing keys usable at once. Shared with
/// tests/AspNetCore.Tests and tests/Client.Tests.
/// </summary>
public static class TestServerSettings
{
    public const string AdminEmail = "admin@authplatform.test";
    public const string AdminPassword = "bootstrap-admin-passphrase";

    public static IWebHostBuilder UseTestServerSettings(this IWebHostBuilder builder, string provider, string connectionString)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", provider);
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Passwords:Iterations", "10000");
        builder.UseSetting("RateLimiting:PermitLimit", "100000");
        builder.UseSetting("RateLimiting:CredentialLookupLimit", "1000000");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Jwt:KeyActivationDelay", "00:00:00");
        return builder;
    }
}
