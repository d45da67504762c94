namespace AuthPlatform.Client.Tests;

[CollectionDefinition(nameof(EnvironmentVariables), DisableParallelization = true)]
public sealed class EnvironmentVariables;

/// <summary>Configuration from AUTHPLATFORM_* variables. Not run in parallel with other tests: the variables are the process's.</summary>
[Collection(nameof(EnvironmentVariables))]
public sealed class EnvironmentTests(Server server) : IClassFixture<Server>
{
    private static readonly string[] Names =
        ["AUTHPLATFORM_URL", "AUTHPLATFORM_API_KEY", "AUTHPLATFORM_CLIENT_ID", "AUTHPLATFORM_CLIENT_SECRET", "AUTHPLATFORM_SCOPE"];

    [Fact]
    public async Task FromEnvironment_UrlAndApiKey()
    {
        var (user, _) = await server.SignedInAsync();
        using var _u = user;
        var key = await user.Api.Api.V1.Auth.ApiKeys.PostAsync(new() { Name = "env", Permissions = ["profile"] });
        using var client = With(
            new() { ["AUTHPLATFORM_URL"] = Server.BaseUrl + "/", ["AUTHPLATFORM_API_KEY"] = key!.Key },
            () => AuthPlatformClient.FromEnvironment());

        var options = With(new() { ["AUTHPLATFORM_URL"] = "https://auth.example.com" }, () => new AuthPlatformClientOptions());
        Assert.Equal(new Uri("https://auth.example.com"), options.BaseUrl);
        Assert.Null(options.ApiKey);

        // FromEnvironment sends through the network by default: check the options it read, then the key through the test server.
        using var viaServer = With(
            new() { ["AUTHPLATFORM_URL"] = Server.BaseUrl, ["AUTHPLATFORM_API_KEY"] = key.Key },
            () => AuthPlatformClient.Create(new AuthPlatformClientOptions { InnerHandler = server.Handler }));
        var me = await viaServer.Api.Api.V1.Auth.Me.GetAsync();
        Assert.Equal(("api_key", key.Id), (me!.Auth!.Method, me.Auth.ApiKeyId));
    }

    [Fact]
    public async Task FromEnvironment_ClientCredentials()
    {
        var (user, _) = await server.SignedInAsync();
        using var _u = user;
        var account = await user.Api.Api.V1.ServiceAccounts.PostAsync(new() { Name = "env-sa", Scopes = ["profile", "api_keys:read"] });
        using var client = With(
            new()
            {
                ["AUTHPLATFORM_URL"] = Server.BaseUrl, ["AUTHPLATFORM_CLIENT_ID"] = account!.ClientId, ["AUTHPLATFORM_CLIENT_SECRET"] = account.ClientSecret,
                ["AUTHPLATFORM_SCOPE"] = "profile",
            },
            () => AuthPlatformClient.Create(new AuthPlatformClientOptions { InnerHandler = server.Handler }));

        var verified = await client.Api.Api.V1.Auth.Verify.GetAsync();
        Assert.Equal(("oauth", account.ClientId), (verified!.Method, verified.ClientId));
        Assert.Equal(["profile"], verified.Scopes!);
    }

    [Fact]
    public void FromEnvironment_WithoutUrl_SaysWhichVariable()
    {
        var e = Assert.Throws<InvalidOperationException>(() => With(new(), AuthPlatformClient.FromEnvironment));
        Assert.Contains("AUTHPLATFORM_URL", e.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<InvalidOperationException>(() => With(new() { ["AUTHPLATFORM_URL"] = "not a url" }, () => new AuthPlatformClientOptions()));
        Assert.Contains("AUTHPLATFORM_URL", bad.Message, StringComparison.Ordinal);
    }

    private static T With<T>(Dictionary<string, string?> variables, Func<T> action)
    {
        var saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var name in Names)
            {
                Environment.SetEnvironmentVariable(name, variables.GetValueOrDefault(name));
            }

            return action();
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
