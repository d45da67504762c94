// Longer than 150 lines because each way a configured certificate can be unusable (file, password, store, key) gets its own plain-language problem.
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>Why a configured certificate cannot be used: the setting, what is wrong, and what it accepts (never the password).</summary>
public sealed record KeyRingCertificateProblem(string Key, string Problem, string Accepts)
{
    public override string ToString() => $"{Key} {Problem}; it must be {Accepts}.";
}

/// <summary>A certificate loaded from one <see cref="KeyRingCertificateOptions"/>, or why it could not be.</summary>
public sealed record KeyRingCertificateLoad(X509Certificate2? Certificate, KeyRingCertificateProblem? Problem);

/// <summary>
/// Loads a key-ring certificate from a PKCS#12 file (<see cref="X509CertificateLoader"/>) or from an
/// X.509 store, and checks it can encrypt and decrypt the key ring: a private key, and an RSA key of
/// at least 2048 bits (XML Encryption wraps the key with RSA). Used by the start-up check, which turns
/// a problem into one line, and by the services, which then load the same certificates.
/// </summary>
public static class KeyRingCertificateLoader
{
    public const int MinimumRsaKeySize = 2048;

    /// <summary>No certificate (nothing set), a certificate, or a problem; <paramref name="section"/> is e.g. <c>DataProtection:Certificate</c>.</summary>
    public static KeyRingCertificateLoad Load(string section, KeyRingCertificateOptions options)
    {
        var hasPath = !string.IsNullOrWhiteSpace(options.Path);
        var hasThumbprint = !string.IsNullOrWhiteSpace(options.Thumbprint);
        if (hasPath && hasThumbprint)
        {
            return Fail($"{section}:Thumbprint", $"is set together with {section}:Path",
                $"set alone: name the certificate either by {section}:Path (a .pfx file, with {section}:Password) or by {section}:Thumbprint (a certificate in a store), not both");
        }

        if (hasPath)
        {
            return FromFile(section, options.Path!.Trim(), options.Password);
        }

        if (hasThumbprint)
        {
            return FromStore(section, options);
        }

        return string.IsNullOrEmpty(options.Password)
            ? new KeyRingCertificateLoad(null, null)
            : Fail($"{section}:Password", $"is set but {section}:Path is not", $"set only with {section}:Path, the PKCS#12 (.pfx) file it opens");
    }

    private static KeyRingCertificateLoad FromFile(string section, string configuredPath, string? password)
    {
        var key = $"{section}:Path";
        var accepts = $"a readable PKCS#12 (.pfx) file holding an RSA certificate of at least {MinimumRsaKeySize} bits with its private key, opened by {section}:Password";
        string path;
        byte[] bytes;
        try
        {
            path = Path.GetFullPath(configuredPath);
            if (Directory.Exists(path))
            {
                return Fail(key, $"names {path}, which is a folder", accepts);
            }

            if (!File.Exists(path))
            {
                return Fail(key, $"names {path}, which does not exist", accepts);
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.ReplaceLineEndings(" ").TrimEnd('.');
            return Fail(key, $"names {configuredPath}, which cannot be read ({reason})", accepts);
        }

        if (ContentType(bytes) != X509ContentType.Pkcs12)
        {
            return Fail(key, $"names {path}, which is not a PKCS#12 (.pfx) file", accepts);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(bytes, password, KeyStorage);
        }
        catch (CryptographicException)
        {
            return Fail(key, $"names {path}, which {section}:Password does not open (a wrong or missing password)", accepts);
        }

        return Checked(key, $"names {path}, which", certificate, accepts);
    }

    private static KeyRingCertificateLoad FromStore(string section, KeyRingCertificateOptions options)
    {
        var key = $"{section}:Thumbprint";
        var store = $"{options.StoreLocation}/{options.StoreName}";
        var accepts = $"the SHA-1 thumbprint (40 hexadecimal digits) of an RSA certificate of at least {MinimumRsaKeySize} bits with its private key in the store {section}:StoreLocation/{section}:StoreName (default CurrentUser/My)";
        var thumbprint = new string(options.Thumbprint!.Where(c => !(char.IsWhiteSpace(c) || c == ':' || char.GetUnicodeCategory(c) == UnicodeCategory.Format)).ToArray());
        if (thumbprint.Length != 40 || !thumbprint.All(char.IsAsciiHexDigit))
        {
            return Fail(key, $"is '{Printable(options.Thumbprint!)}', which is not a thumbprint", accepts);
        }

        try
        {
            using var x509Store = new X509Store(options.StoreName, options.StoreLocation);
            x509Store.Open(OpenFlags.ReadOnly);
            var found = x509Store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            var chosen = found.FirstOrDefault(c => c.HasPrivateKey) ?? found.FirstOrDefault();
            foreach (var other in found.Where(c => !ReferenceEquals(c, chosen)))
            {
                other.Dispose();
            }

            return chosen is null
                ? Fail(key, $"is {thumbprint.ToUpperInvariant()}, but no certificate with that thumbprint is in the store {store}", accepts)
                : Checked(key, $"is {thumbprint.ToUpperInvariant()}, a certificate in the store {store} which", chosen, accepts);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            return Fail(key, $"is {thumbprint.ToUpperInvariant()}, but the store {store} cannot be opened ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})", accepts);
        }
    }

    /// <summary>The certificate, if it has its private key and an RSA key large enough; otherwise the problem (and the certificate is disposed).</summary>
    private static KeyRingCertificateLoad Checked(string key, string names, X509Certificate2 certificate, string accepts)
    {
        string? problem;
        using (var rsa = certificate.GetRSAPublicKey())
        {
            problem = rsa is null ? $"holds a {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value} certificate, not an RSA one"
                : rsa.KeySize < MinimumRsaKeySize ? $"holds an RSA key of only {rsa.KeySize} bits"
                : !certificate.HasPrivateKey ? "holds the certificate without its private key"
                : null;
        }

        if (problem is null)
        {
            return new KeyRingCertificateLoad(certificate, null);
        }

        certificate.Dispose();
        return Fail(key, $"{names} {problem}", accepts);
    }

    private static X509ContentType ContentType(byte[] bytes)
    {
        try
        {
            return X509Certificate2.GetCertContentType(bytes);
        }
        catch (CryptographicException)
        {
            return X509ContentType.Unknown;
        }
    }

    /// <summary>Keys stay in memory (no key file written) where the platform allows it.</summary>
    private static X509KeyStorageFlags KeyStorage => OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;

    private static string Printable(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 80 ? clean[..80] + "..." : clean;
    }

    private static KeyRingCertificateLoad Fail(string key, string problem, string accepts) => new(null, new KeyRingCertificateProblem(key, problem, accepts));
}
