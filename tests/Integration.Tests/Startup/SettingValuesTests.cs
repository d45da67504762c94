using System.Net;
using System.Net.Sockets;
using AuthPlatform.WebApi.Startup;
using Microsoft.Extensions.Configuration;

namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>Names, addresses and secrets in the configuration, the first administrator, and the listening port.</summary>
public sealed class SettingValuesTests
{
    [Theory]
    [InlineData("Jwt:Issuer", "localhost:8080")]
    [InlineData("Jwt:Issuer", "/auth")]
    [InlineData("Jwt:Issuer", "ftp://auth.example.com")]
    [InlineData("Jwt:Issuer", "https://auth.example.com/?tenant=1")]
    [InlineData("Jwt:Issuer", "https://auth.example.com/#x")]
    [InlineData("Jwt:Audience", "")]
    [InlineData("Jwt:SigningAlgorithm", "HS256")]
    [InlineData("Scopes:Custom:0", "Models.Read")]
    [InlineData("Scopes:Custom:0", "has space")]
    [InlineData("ApiKeys:Prefix", "AP")]
    [InlineData("ApiKeys:Prefix", "a")]
    [InlineData("TwoFactor:Issuer", "Acme:Corp")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.0/8")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.internal")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10")]
    [InlineData("Urls", "ftp://0.0.0.0:21")]
    [InlineData("Urls", "http://0.0.0.0:8080/auth")]
    [InlineData("Cors:AllowedOrigins:0", "*")]
    [InlineData("Cors:AllowedOrigins:0", "https://dashboard.example.com/")]
    [InlineData("Cors:AllowedOrigins:0", "https://*.example.com")]
    [InlineData("Cors:AllowedOrigins:0", "https://dashboard.example.com/app")]
    [InlineData("Cors:AllowedOrigins:0", "dashboard.example.com")]
    [InlineData("Https:Port", "0")]
    [InlineData("Metrics:Enabled", "maybe")]
    [InlineData("Metrics:Path", "metrics")]
    [InlineData("Metrics:Path", "/metrics/{format}")]
    [InlineData("Otel:Endpoint", "collector:4317")]
    [InlineData("Otel:Protocol", "udp")]
    public void Validate_InvalidValue_ReportsOneLineNamingTheSettingAndTheValue(string key, string value)
    {
        var line = ValidatorInput.SingleErrorFor(key, ValidatorInput.Validate($"{key}={value}"));

        Assert.Contains($"'{value}'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Jwt:Issuer=https://auth.example.com", "Cors:AllowedOrigins:0=https://dashboard.example.com", "Cors:AllowedOrigins:1=http://localhost:3000")]
    [InlineData("ForwardedHeaders:KnownProxies:0=10.0.0.5", "ForwardedHeaders:KnownProxies:1=::1", "Scopes:Custom:0=models.read", "Scopes:Custom:1=read:objects")]
    [InlineData("Urls=http://0.0.0.0:8080;https://localhost:8443", "TwoFactor:Issuer=Acme Corp", "ApiKeys:Prefix=acme2")]
    [InlineData("Urls=http://*:0", "Jwt:SigningAlgorithm=RS256")]
    [InlineData("Metrics:Enabled=false", "Metrics:Path=/internal/metrics", "Otel:Endpoint=http://collector:4317", "Otel:Protocol=http/protobuf")]
    public void Validate_ValidValues_AreAccepted(params string[] settings)
    {
        Assert.Empty(ValidatorInput.Validate(settings));
    }

    [Theory]
    [InlineData("Bootstrap:AdminPassword", "is empty while Bootstrap:AdminEmail is set", "Bootstrap:AdminEmail=admin@example.com")]
    [InlineData("Bootstrap:AdminEmail", "is empty while Bootstrap:AdminPassword is set", "Bootstrap:AdminPassword=a long admin passphrase")]
    [InlineData("Bootstrap:AdminEmail", "is 'admin', which is not accepted", "Bootstrap:AdminEmail=admin", "Bootstrap:AdminPassword=a long admin passphrase")]
    [InlineData("Bootstrap:AdminName", "is not accepted", "Bootstrap:AdminEmail=admin@example.com", "Bootstrap:AdminPassword=a long admin passphrase", "Bootstrap:AdminName=a\u202Eb")]
    public void Validate_IncompleteOrInvalidAdministrator_NamesTheSetting(string named, string says, params string[] settings)
    {
        var line = ValidatorInput.SingleErrorFor(named, ValidatorInput.Validate(settings));

        Assert.Contains(says, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short-pass1", "at least 12 characters")]
    [InlineData("password1234", "too common")]
    public void Validate_AdministratorPasswordAgainstTheRules_IsRefusedWithoutShowingIt(string password, string reason)
    {
        var line = ValidatorInput.SingleErrorFor("Bootstrap:AdminPassword",
            ValidatorInput.Validate("Bootstrap:AdminEmail=admin@example.com", $"Bootstrap:AdminPassword={password}"));

        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains("12 to 128 characters", line, StringComparison.Ordinal);
        Assert.DoesNotContain(password, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValidAdministrator_IsAccepted()
    {
        Assert.Empty(ValidatorInput.Validate("Bootstrap:AdminEmail=admin@example.com", "Bootstrap:AdminPassword=a long admin passphrase"));
    }

    [Fact]
    public void FindTaken_PortHeldByAnotherListener_NamesUrlsAndTheAddress()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var line = Assert.Single(ListeningAddresses.FindTaken(Configuration($"http://127.0.0.1:{port}")));

        Assert.StartsWith("Configuration error: Urls (env Urls or ASPNETCORE_URLS) asks to listen on", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port} is already in use", line, StringComparison.Ordinal);
    }

    [Fact]
    public void FindTaken_FreePort_ReportsNothing()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        Assert.Empty(ListeningAddresses.FindTaken(Configuration($"http://127.0.0.1:{port};http://127.0.0.1:0")));
    }

    private static IConfiguration Configuration(string urls) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();
}
