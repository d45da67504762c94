using AuthPlatform.Infrastructure.DataProtection;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Section <c>DataProtection</c>: the certificate that encrypts the key ring (<c>Certificate:Path</c> and
/// <c>Certificate:Password</c>, or <c>Certificate:Thumbprint</c> with <c>StoreName</c>/<c>StoreLocation</c>)
/// and the old ones that still decrypt (<c>OldCertificates:N</c>, each shaped the same). Every one is
/// loaded here, so a missing file, a wrong password, a certificate without its private key or not in
/// the store is one line before the database is touched.
/// </summary>
public static class DataProtectionSettingsRules
{
    public static void Check(SettingsReader reader)
    {
        CheckCertificate(reader, KeyRingCertificateOptions.CurrentSection);
        foreach (var entry in reader.Configuration.GetSection(KeyRingCertificateOptions.OldSection).GetChildren())
        {
            if (!entry.GetChildren().Any())
            {
                reader.Fail(entry.Path, $"is {reader.Shown(entry.Path)}",
                    $"a certificate named like DataProtection:Certificate, by {entry.Path}:Path (with {entry.Path}:Password) or by {entry.Path}:Thumbprint");
            }
            else if (!CheckCertificate(reader, entry.Path))
            {
                reader.Fail(entry.Path, "names no certificate", $"a certificate named by {entry.Path}:Path (with {entry.Path}:Password) or by {entry.Path}:Thumbprint");
            }
        }
    }

    /// <summary>Reports any problem of the certificate named in <paramref name="section"/>; false if none is named there.</summary>
    private static bool CheckCertificate(SettingsReader reader, string section)
    {
        var options = reader.Bind<KeyRingCertificateOptions>(section);
        var storeName = $"{section}:StoreName";
        var storeLocation = $"{section}:StoreLocation";
        if (reader.IsUnreadable(storeName))
        {
            reader.Fail(storeName, $"is {reader.Shown(storeName)}", $"one of {string.Join(", ", Enum.GetNames<System.Security.Cryptography.X509Certificates.StoreName>())}");
        }

        if (reader.IsUnreadable(storeLocation))
        {
            reader.Fail(storeLocation, $"is {reader.Shown(storeLocation)}", "CurrentUser or LocalMachine");
        }

        if (reader.IsUnreadable(storeName) || reader.IsUnreadable(storeLocation))
        {
            return true;
        }

        var load = KeyRingCertificateLoader.Load(section, options);
        load.Certificate?.Dispose();
        if (load.Problem is { } problem)
        {
            reader.Fail(problem.Key, problem.Problem, problem.Accepts);
        }

        return options.IsSet || load.Problem is not null;
    }
}
