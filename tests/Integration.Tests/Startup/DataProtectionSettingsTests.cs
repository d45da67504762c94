// Longer than 150 lines because every way a key-ring certificate can be unusable has its own test, each proving the one line names the setting.
using System.Security.Cryptography.X509Certificates;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>
/// <c>DataProtection:Certificate</c> and <c>DataProtection:OldCertificates:N</c>, checked before the
/// database is touched: every certificate is loaded, and each reason it cannot encrypt or decrypt the
/// key ring is one line naming the setting (never the password).
/// </summary>
public sealed class DataProtectionSettingsTests
{
    private const string Path = "DataProtection:Certificate:Path";
    private const string Password = "DataProtection:Certificate:Password";
    private const string Thumbprint = "DataProtection:Certificate:Thumbprint";

    [Fact]
    public void Validate_ReadablePfxWithItsPassword_IsAccepted()
    {
        var pfx = TestCertificates.CreateRsaPfx();

        Assert.Empty(ValidatorInput.Validate($"{Path}={pfx.Path}", $"{Password}={pfx.Password}"));
    }

    [Fact]
    public void Validate_PathAndThumbprintBoth_IsRefused()
    {
        var pfx = TestCertificates.CreateRsaPfx();

        var line = ValidatorInput.SingleErrorFor(Thumbprint, ValidatorInput.Validate($"{Path}={pfx.Path}", $"{Password}={pfx.Password}", $"{Thumbprint}={pfx.Thumbprint}"));

        Assert.Contains($"is set together with {Path}", line, StringComparison.Ordinal);
        Assert.Contains("not both", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PathThatDoesNotExist_NamesIt()
    {
        var missing = System.IO.Path.Combine(TestCertificates.Folder, $"missing-{Guid.NewGuid():N}.pfx");

        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={missing}", $"{Password}=whatever"));

        Assert.Contains($"names {missing}, which does not exist", line, StringComparison.Ordinal);
        Assert.Contains("a readable PKCS#12 (.pfx) file holding an RSA certificate", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PathThatIsAFolder_SaysSo()
    {
        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={TestCertificates.Folder}"));

        Assert.Contains($"names {TestCertificates.Folder}, which is a folder", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FileThatIsNotPkcs12_SaysSo()
    {
        var pem = System.IO.Path.Combine(TestCertificates.Folder, $"{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, "-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n");

        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={pem}"));

        Assert.Contains($"names {pem}, which is not a PKCS#12 (.pfx) file", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("the-wrong-password")]
    [InlineData("")]
    public void Validate_WrongPassword_SaysSoWithoutShowingIt(string password)
    {
        var pfx = TestCertificates.CreateRsaPfx();

        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={pfx.Path}", $"{Password}={password}"));

        Assert.Contains($"which {Password} does not open (a wrong or missing password)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(pfx.Password, line, StringComparison.Ordinal);
        Assert.DoesNotContain("the-wrong-password", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PfxWithoutPrivateKey_SaysSo()
    {
        var pfx = TestCertificates.CreatePfxWithoutPrivateKey();

        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={pfx.Path}", $"{Password}={pfx.Password}"));

        Assert.Contains("holds the certificate without its private key", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EcdsaCertificate_SaysItMustBeRsa()
    {
        var pfx = TestCertificates.CreateEcdsaPfx();

        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={pfx.Path}", $"{Password}={pfx.Password}"));

        Assert.Contains("certificate, not an RSA one", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SmallRsaKey_SaysHowSmall()
    {
        var pfx = TestCertificates.CreateRsaPfx(keySize: 1024);

        var line = ValidatorInput.SingleErrorFor(Path, ValidatorInput.Validate($"{Path}={pfx.Path}", $"{Password}={pfx.Password}"));

        Assert.Contains("holds an RSA key of only 1024 bits", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PasswordWithoutPath_IsRefused()
    {
        var line = ValidatorInput.SingleErrorFor(Password, ValidatorInput.Validate($"{Password}=hunter2-secret"));

        Assert.Contains($"is set but {Path} is not", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-thumbprint")]
    [InlineData("ABCDEF")]
    public void Validate_MalformedThumbprint_SaysWhatAThumbprintIs(string thumbprint)
    {
        var line = ValidatorInput.SingleErrorFor(Thumbprint, ValidatorInput.Validate($"{Thumbprint}={thumbprint}"));

        Assert.Contains($"is '{thumbprint}', which is not a thumbprint", line, StringComparison.Ordinal);
        Assert.Contains("40 hexadecimal digits", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ThumbprintNotInTheStore_NamesTheStore()
    {
        var thumbprint = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "01234567";

        var line = ValidatorInput.SingleErrorFor(Thumbprint, ValidatorInput.Validate($"{Thumbprint}={thumbprint}"));

        Assert.Contains($"is {thumbprint}, but no certificate with that thumbprint is in the store CurrentUser/My", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ThumbprintInTheStore_IsAcceptedAndOnlyThere()
    {
        using var certificate = TestCertificates.CreateRsaCertificate($"authplatform-store-{Guid.NewGuid():N}");
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(certificate);
        try
        {
            // written as Windows' certificate dialog shows it: spaced pairs, lower case
            var spaced = string.Join(' ', certificate.Thumbprint.ToLowerInvariant().Chunk(2).Select(pair => new string(pair)));

            Assert.Empty(ValidatorInput.Validate($"{Thumbprint}={spaced}"));
            ValidatorInput.SingleErrorFor(Thumbprint, ValidatorInput.Validate($"{Thumbprint}={spaced}", "DataProtection:Certificate:StoreName=Root"));
        }
        finally
        {
            store.Remove(certificate);
        }
    }

    [Fact]
    public void Validate_UnknownStoreName_ListsTheStores()
    {
        var line = ValidatorInput.SingleErrorFor("DataProtection:Certificate:StoreName",
            ValidatorInput.Validate($"{Thumbprint}={new string('A', 40)}", "DataProtection:Certificate:StoreName=Personal"));

        Assert.Contains("it must be one of AddressBook, AuthRoot, CertificateAuthority, Disallowed, My, Root", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OldCertificateWithWrongPassword_NamesTheEntry()
    {
        var current = TestCertificates.CreateRsaPfx();
        var old = TestCertificates.CreateRsaPfx("authplatform-keyring-old");

        var line = ValidatorInput.SingleErrorFor("DataProtection:OldCertificates:0:Path", ValidatorInput.Validate(
            $"{Path}={current.Path}", $"{Password}={current.Password}",
            $"DataProtection:OldCertificates:0:Path={old.Path}", "DataProtection:OldCertificates:0:Password=not-its-password"));

        Assert.Contains("which DataProtection:OldCertificates:0:Password does not open", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OldCertificateGivenAsAPlainValue_SaysHowToNameIt()
    {
        var old = TestCertificates.CreateRsaPfx("authplatform-keyring-old");

        var line = ValidatorInput.SingleErrorFor("DataProtection:OldCertificates:0", ValidatorInput.Validate($"DataProtection:OldCertificates:0={old.Path}"));

        Assert.Contains("by DataProtection:OldCertificates:0:Path (with DataProtection:OldCertificates:0:Password) or by DataProtection:OldCertificates:0:Thumbprint", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OldCertificate_IsAcceptedWithoutACurrentOne()
    {
        var old = TestCertificates.CreateRsaPfx("authplatform-keyring-old");

        Assert.Empty(ValidatorInput.Validate($"DataProtection:OldCertificates:0:Path={old.Path}", $"DataProtection:OldCertificates:0:Password={old.Password}"));
    }
}
