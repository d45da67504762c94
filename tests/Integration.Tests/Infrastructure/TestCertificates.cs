using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>A self-signed certificate written as a password-protected PKCS#12 file, as an operator would make one with openssl.</summary>
public sealed record TestPfx(string Path, string Password, string Thumbprint, string Subject)
{
    /// <summary>The settings that name it as <c>DataProtection:Certificate</c> (or another section, e.g. an old one).</summary>
    public Dictionary<string, string?> Settings(string section = "DataProtection:Certificate") => new()
    {
        [$"{section}:Path"] = Path,
        [$"{section}:Password"] = Password,
    };
}

public static class TestCertificates
{
    public static readonly string Folder = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "authplatform-test-certificates")).FullName;

    /// <summary>An RSA certificate (2048 bits unless told) with its private key, exported to a new .pfx file.</summary>
    public static TestPfx CreateRsaPfx(string name = "authplatform-keyring", int keySize = 2048)
    {
        using var rsa = RSA.Create(keySize);
        using var certificate = SelfSigned(new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return Write(certificate);
    }

    /// <summary>An ECDSA certificate with its private key: XML Encryption cannot wrap a key with it.</summary>
    public static TestPfx CreateEcdsaPfx()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(new CertificateRequest("CN=authplatform-ecdsa", ecdsa, HashAlgorithmName.SHA256));
        return Write(certificate);
    }

    /// <summary>An RSA certificate exported to a .pfx file without its private key.</summary>
    public static TestPfx CreatePfxWithoutPrivateKey()
    {
        using var rsa = RSA.Create(2048);
        using var full = SelfSigned(new CertificateRequest("CN=authplatform-public-only", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(full.RawData);
        return Write(publicOnly);
    }

    /// <summary>The certificate itself, with its private key, for putting in a store.</summary>
    public static X509Certificate2 CreateRsaCertificate(string name)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, "store"), "store", X509KeyStorageFlags.Exportable);
    }

    private static X509Certificate2 SelfSigned(CertificateRequest request) =>
        request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

    private static TestPfx Write(X509Certificate2 certificate)
    {
        var password = $"pfx-{Guid.NewGuid():N}";
        var path = System.IO.Path.Combine(Folder, $"{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return new TestPfx(path, password, certificate.Thumbprint, certificate.Subject);
    }
}
