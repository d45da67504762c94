using System.Security.Cryptography.X509Certificates;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>
/// One certificate for the Data Protection key ring: a PKCS#12 (.pfx) file with its password, or a
/// certificate in an X.509 store by thumbprint. <c>DataProtection:Certificate</c> encrypts the keys;
/// each <c>DataProtection:OldCertificates:N</c> only decrypts keys encrypted before a rotation.
/// </summary>
public sealed class KeyRingCertificateOptions
{
    public const string CurrentSection = "DataProtection:Certificate";
    public const string OldSection = "DataProtection:OldCertificates";

    public string? Path { get; set; }

    public string? Password { get; set; }

    public string? Thumbprint { get; set; }

    public StoreName StoreName { get; set; } = StoreName.My;

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>Whether a certificate is named at all (by path or by thumbprint).</summary>
    public bool IsSet => !string.IsNullOrWhiteSpace(Path) || !string.IsNullOrWhiteSpace(Thumbprint);
}
