namespace AuthPlatform.AspNetCore.Tests;

/// <summary>Settings that would quietly weaken the checks stop the app at its first request instead.</summary>
public sealed class OptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("auth.example.com")]
    [InlineData("ftp://auth.example.com")]
    public void Validate_WithoutAnAbsoluteHttpAuthority_Throws(string? authority)
    {
        var options = new AuthPlatformOptions { Authority = authority, RequireHttpsMetadata = false };

        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    [Fact]
    public void Validate_HttpAuthorityWhileHttpsIsRequired_Throws()
    {
        Assert.Throws<InvalidOperationException>(new AuthPlatformOptions { Authority = "http://auth.example.com" }.Validate);
        new AuthPlatformOptions { Authority = "https://auth.example.com" }.Validate();
        new AuthPlatformOptions { Authority = "http://127.0.0.1:8080", RequireHttpsMetadata = false }.Validate();
    }

    [Fact]
    public void Validate_NegativeCacheDuration_Throws()
    {
        var options = new AuthPlatformOptions { Authority = "https://auth.example.com", ApiKeyCacheDuration = TimeSpan.FromSeconds(-1) };

        Assert.Throws<InvalidOperationException>(options.Validate);
    }
}
