using System.Text.Json;
using AuthPlatform.Domain.Signing;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class SigningKeyFactoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SigningKeyFactory _factory = new(new EphemeralDataProtectionProvider());

    [Theory]
    [InlineData("ES256", "EC")]
    [InlineData("RS256", "RSA")]
    public void Generate_WithSupportedAlgorithm_GivesPublicJwkWithKidAndNoPrivateMembers(string algorithm, string keyType)
    {
        var material = _factory.Generate(algorithm);

        Assert.Matches("^[A-Za-z0-9_-]{16}$", material.KeyId);
        Assert.Equal(algorithm, material.Algorithm);
        var jwk = JsonSerializer.Deserialize<Dictionary<string, string>>(material.PublicJwk)!;
        Assert.Equal(keyType, jwk["kty"]);
        Assert.Equal(material.KeyId, jwk["kid"]);
        Assert.Equal(algorithm, jwk["alg"]);
        Assert.Equal("sig", jwk["use"]);
        Assert.DoesNotContain("d", jwk.Keys);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public void Generate_WithSupportedAlgorithm_PrivateKeySignsWhatThePublicKeyVerifies(string algorithm)
    {
        var material = _factory.Generate(algorithm);
        var key = SigningKey.Create(material.KeyId, material.Algorithm, material.PublicJwk, material.ProtectedPrivateKey, Now, Now);
        var data = "signed by the stored key"u8.ToArray();

        var signer = CryptoProviderFactory.Default.CreateForSigning(_factory.PrivateKey(key), algorithm);
        var signature = signer.Sign(data);
        var verifier = CryptoProviderFactory.Default.CreateForVerifying(SigningKeyFactory.PublicKey(key), algorithm);

        Assert.True(verifier.Verify(data, signature));
        Assert.Equal(material.KeyId, SigningKeyFactory.PublicKey(key).KeyId);
    }

    [Fact]
    public void Generate_CalledTwice_GivesDifferentKids()
    {
        Assert.NotEqual(_factory.Generate("ES256").KeyId, _factory.Generate("ES256").KeyId);
    }

    [Fact]
    public void Generate_WithUnsupportedAlgorithm_ThrowsInvalidOperationException()
    {
        Assert.Throws<InvalidOperationException>(() => _factory.Generate("HS256"));
    }
}
