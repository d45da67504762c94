// Longer than 150 lines because it both reads which certificates the stored key ring needs and re-encrypts keys stored in clear, as Data Protection itself would.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Linq;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>A certificate the stored key ring is encrypted with that is not configured, and how many keys need it.</summary>
public sealed record MissingKeyRingCertificate(string Thumbprint, string Subject, DateTimeOffset NotAfter, int Keys);

/// <summary>
/// The Data Protection key ring as stored in <c>data_protection_keys</c>, looked at once at start-up,
/// after the migrations and before anything reads the ring:
/// <list type="bullet">
/// <item><see cref="FindMissingCertificatesAsync"/>: the certificates keys are encrypted with that
/// are not configured, so the start can be refused naming them (otherwise Data Protection would
/// skip those keys, make a new one, and the signing keys would fail to decrypt later).</item>
/// <item><see cref="EncryptWithCurrentCertificateAsync"/>: once a certificate is configured, keys written
/// in clear before it was, or encrypted with an old certificate, are encrypted in place to the current
/// one, with the same XML Data Protection writes for a new key (<c>encryptedSecret</c> around an XML
/// Encryption <c>EncryptedData</c>): none stays readable, and an old certificate is needed only until
/// every instance has started once with the new one.</item>
/// </list>
/// </summary>
public sealed partial class KeyRingAtRest(AuthDbContext db, KeyRingCertificates certificates, IServiceProvider services, ILoggerFactory loggerFactory)
{
    private static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XNamespace SignatureNamespace = "http://www.w3.org/2000/09/xmldsig#";
    private static readonly XName EncryptedSecret = DataProtectionNamespace + "encryptedSecret";
    private static readonly XName RequiresEncryption = DataProtectionNamespace + "requiresEncryption";
    private static readonly XName DecryptorType = "decryptorType"; // not namespaced, as Data Protection writes it

    private readonly ILogger _logger = loggerFactory.CreateLogger<KeyRingAtRest>();

    /// <summary>The certificates that encrypted stored keys and are neither <c>DataProtection:Certificate</c> nor an old one.</summary>
    public async Task<IReadOnlyList<MissingKeyRingCertificate>> FindMissingCertificatesAsync(CancellationToken cancellationToken)
    {
        var missing = new Dictionary<string, (X509Certificate2 Certificate, int Keys)>(StringComparer.Ordinal);
        foreach (var xml in await db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync(cancellationToken))
        {
            if (Parse(xml) is not { } key)
            {
                continue;
            }

            foreach (var certificate in EncryptingCertificates(key))
            {
                var thumbprint = certificate.Thumbprint.ToUpperInvariant();
                if (certificates.Thumbprints.Contains(thumbprint))
                {
                    certificate.Dispose();
                }
                else if (missing.TryGetValue(thumbprint, out var seen))
                {
                    missing[thumbprint] = (seen.Certificate, seen.Keys + 1);
                    certificate.Dispose();
                }
                else
                {
                    missing[thumbprint] = (certificate, 1);
                }
            }
        }

        return missing.Select(m =>
        {
            using var certificate = m.Value.Certificate;
            return new MissingKeyRingCertificate(m.Key, certificate.Subject, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), m.Value.Keys);
        }).ToList();
    }

    /// <summary>
    /// Encrypts with the current certificate every stored key that holds its secret in clear or
    /// encrypted with an old certificate (which decrypts it here); returns how many keys changed.
    /// </summary>
    public async Task<int> EncryptWithCurrentCertificateAsync(CancellationToken cancellationToken)
    {
        if (certificates.Current is not { } current)
        {
            return 0;
        }

        var encryptor = new CertificateXmlEncryptor(current, loggerFactory);
        var decryptor = new EncryptedXmlDecryptor(services);
        var currentThumbprint = current.Thumbprint.ToUpperInvariant();
        var (clear, old) = (0, 0);
        foreach (var row in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            if (Parse(row.Xml) is not { } key)
            {
                continue;
            }

            var wasClear = EncryptClear(encryptor, key);
            var wasOld = Reencrypt(encryptor, decryptor, currentThumbprint, key);
            if (wasClear || wasOld)
            {
                row.Xml = key.ToString(SaveOptions.DisableFormatting);
                clear += wasClear ? 1 : 0;
                old += wasOld ? 1 : 0;
            }
        }

        if (clear + old > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogEncrypted(_logger, clear, old, current.Subject, current.Thumbprint);
        }

        return clear + old;
    }

    /// <summary>The certificates named in the key's <c>encryptedSecret</c> elements (their X509Data).</summary>
    private static IEnumerable<X509Certificate2> EncryptingCertificates(XElement element)
    {
        var secrets = element.Name == EncryptedSecret ? [element] : element.Descendants(EncryptedSecret);
        foreach (var data in secrets.Descendants(SignatureNamespace + "X509Certificate"))
        {
            X509Certificate2? certificate = null;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(data.Value.Trim()));
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                // not a certificate this check can read: Data Protection will say what it makes of it
            }

            if (certificate is not null)
            {
                yield return certificate;
            }
        }
    }

    /// <summary>
    /// Replaces each element marked <c>requiresEncryption="true"</c> (the master key) by an
    /// <c>encryptedSecret</c>, as Data Protection's key manager does before it stores a new key.
    /// </summary>
    private static bool EncryptClear(IXmlEncryptor encryptor, XElement key)
    {
        var clear = key.DescendantsAndSelf().Where(e => (string?)e.Attribute(RequiresEncryption) is { } a && a.Trim() is "true" or "1").ToList();
        foreach (var element in clear)
        {
            var info = encryptor.Encrypt(new XElement(element));
            element.ReplaceWith(new XElement(EncryptedSecret,
                new XAttribute(DecryptorType, info.DecryptorType.AssemblyQualifiedName!),
                info.EncryptedElement));
        }

        return clear.Count > 0;
    }

    /// <summary>Decrypts each secret encrypted to another certificate (an old one: the missing ones stopped the start) and encrypts it to the current one.</summary>
    private static bool Reencrypt(IXmlEncryptor encryptor, IXmlDecryptor decryptor, string currentThumbprint, XElement key)
    {
        var toOld = key.Descendants(EncryptedSecret)
            .Where(secret => (string?)secret.Attribute(DecryptorType) is { } type && type.StartsWith(typeof(EncryptedXmlDecryptor).FullName + ",", StringComparison.Ordinal))
            .Where(secret => EncryptingCertificates(secret).Select(Thumbprint).Any(t => t != currentThumbprint))
            .ToList();
        foreach (var secret in toOld)
        {
            var plain = decryptor.Decrypt(secret.Elements().Single());
            var info = encryptor.Encrypt(plain);
            secret.ReplaceWith(new XElement(EncryptedSecret,
                new XAttribute(DecryptorType, info.DecryptorType.AssemblyQualifiedName!),
                info.EncryptedElement));
        }

        return toOld.Count > 0;
    }

    private static string Thumbprint(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return certificate.Thumbprint.ToUpperInvariant();
        }
    }

    private static XElement? Parse(string? xml)
    {
        try
        {
            return string.IsNullOrWhiteSpace(xml) ? null : XElement.Parse(xml);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Encrypted Data Protection keys with the certificate {Subject} ({Thumbprint}): {Clear} stored in clear, {Old} encrypted with an old certificate. Backups taken before still hold them as they were.")]
    private static partial void LogEncrypted(ILogger logger, int clear, int old, string subject, string thumbprint);
}
