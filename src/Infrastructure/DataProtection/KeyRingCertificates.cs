using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>
/// The certificates of the Data Protection key ring: <see cref="Current"/> encrypts new keys (and
/// decrypts), each of <see cref="Old"/> only decrypts keys written before a rotation. Without a
/// current certificate, keys are stored in clear.
/// </summary>
public sealed class KeyRingCertificates(X509Certificate2? current, IReadOnlyList<X509Certificate2> old)
{
    public X509Certificate2? Current { get; } = current;

    public IReadOnlyList<X509Certificate2> Old { get; } = old;

    /// <summary>The thumbprints (upper case) of every certificate that can decrypt.</summary>
    public IReadOnlySet<string> Thumbprints { get; } =
        (current is null ? old : old.Prepend(current)).Select(c => c.Thumbprint.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Loads what <c>DataProtection:Certificate</c> and <c>DataProtection:OldCertificates:N</c> name. The
    /// start-up check has reported any problem as one line already; one found here (a file changed in
    /// between) stops the start with the same text.
    /// </summary>
    public static KeyRingCertificates Load(IConfiguration configuration)
    {
        var current = LoadOne(configuration, KeyRingCertificateOptions.CurrentSection);
        var old = configuration.GetSection(KeyRingCertificateOptions.OldSection).GetChildren()
            .Select(entry => LoadOne(configuration, entry.Path))
            .OfType<X509Certificate2>()
            .ToList();
        return new KeyRingCertificates(current, old);
    }

    private static X509Certificate2? LoadOne(IConfiguration configuration, string section)
    {
        var options = configuration.GetSection(section).Get<KeyRingCertificateOptions>() ?? new KeyRingCertificateOptions();
        var load = KeyRingCertificateLoader.Load(section, options);
        return load.Problem is { } problem ? throw new InvalidOperationException($"Configuration error: {problem}") : load.Certificate;
    }
}
