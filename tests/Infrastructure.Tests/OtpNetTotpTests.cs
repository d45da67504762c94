using AuthPlatform.Infrastructure.TwoFactor;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class OtpNetTotpTests
{
    /// <summary>RFC 6238 Appendix B: the SHA1 seed, ASCII "12345678901234567890", in base32.</summary>
    private const string RfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    private static OtpNetTotp Totp(string issuer = "AuthPlatform") => new(Options.Create(new TwoFactorOptions { Issuer = issuer }));

    private static DateTimeOffset At(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

    /// <summary>RFC 6238 Appendix B SHA1 vectors (8 digits); a 6-digit code is the last six (RFC 4226 truncation mod 10^6).</summary>
    public static TheoryData<long, string> RfcVectors => new()
    {
        { 59, "94287082" },
        { 1111111109, "07081804" },
        { 1111111111, "14050471" },
        { 1234567890, "89005924" },
        { 2000000000, "69279037" },
    };

    [Fact]
    public void RfcSecret_IsTheBase32OfTheAsciiSeed()
    {
        Assert.Equal("12345678901234567890", System.Text.Encoding.ASCII.GetString(OtpNet.Base32Encoding.ToBytes(RfcSecret)));
    }

    [Theory]
    [MemberData(nameof(RfcVectors))]
    public void Match_RfcVectorAtItsTime_ReturnsThatStep(long unixSeconds, string eightDigits)
    {
        var step = Totp().Match(RfcSecret, eightDigits[2..], At(unixSeconds));

        Assert.Equal(unixSeconds / 30, step);
    }

    [Theory]
    [MemberData(nameof(RfcVectors))]
    public void Match_CodeOneStepOld_ReturnsItsOwnStep(long unixSeconds, string eightDigits)
    {
        var step = Totp().Match(RfcSecret, eightDigits[2..], At(unixSeconds + 30));

        Assert.Equal(unixSeconds / 30, step);
    }

    [Theory]
    [MemberData(nameof(RfcVectors))]
    public void Match_CodeOneStepAhead_ReturnsItsOwnStep(long unixSeconds, string eightDigits)
    {
        var step = Totp().Match(RfcSecret, eightDigits[2..], At(unixSeconds - 30));

        Assert.Equal(unixSeconds / 30, step);
    }

    [Theory]
    [MemberData(nameof(RfcVectors))]
    public void Match_CodeTwoStepsOff_ReturnsNull(long unixSeconds, string eightDigits)
    {
        var totp = Totp();

        Assert.Null(totp.Match(RfcSecret, eightDigits[2..], At(unixSeconds + 60)));
        if (unixSeconds >= 60)
        {
            Assert.Null(totp.Match(RfcSecret, eightDigits[2..], At(unixSeconds - 60)));
        }
    }

    [Fact]
    public void Match_OtherSecret_ReturnsNull()
    {
        var other = Totp().NewSecret();

        Assert.Null(Totp().Match(other, "287082", At(59)));
    }

    [Theory]
    [InlineData("28708")]
    [InlineData("2870820")]
    [InlineData("94287082")]
    [InlineData("28708a")]
    [InlineData("287 82")]
    [InlineData("-28708")]
    [InlineData("２８７０８２")]
    [InlineData("")]
    public void Match_NotSixAsciiDigits_ReturnsNull(string code)
    {
        Assert.Null(Totp().Match(RfcSecret, code, At(59)));
    }

    [Fact]
    public void NewSecret_Always_Is32Base32CharactersOf160Bits()
    {
        var totp = Totp();

        var secrets = Enumerable.Range(0, 50).Select(_ => totp.NewSecret()).ToList();

        Assert.All(secrets, s =>
        {
            Assert.Matches("^[A-Z2-7]{32}$", s);
            Assert.Equal(20, OtpNet.Base32Encoding.ToBytes(s).Length);
        });
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NewSecret_Generated_CanBeMatched()
    {
        var totp = Totp();
        var secret = totp.NewSecret();
        var now = At(1_800_000_000);
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(now.UtcDateTime);

        Assert.Equal(now.ToUnixTimeSeconds() / 30, totp.Match(secret, code, now));
    }

    [Fact]
    public void BuildUri_Default_HasTheDocumentedLabelAndQuery()
    {
        var uri = new Uri(Totp().BuildUri("alice@example.com", RfcSecret));

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal("AuthPlatform:alice@example.com", Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
        var query = Query(uri);
        Assert.Equal(RfcSecret, query["secret"]);
        Assert.Equal("AuthPlatform", query["issuer"]);
        Assert.Equal("SHA1", query["algorithm"]);
        Assert.Equal("6", query["digits"]);
        Assert.Equal("30", query["period"]);
        Assert.Equal(5, query.Count);
    }

    [Fact]
    public void BuildUri_ConfiguredIssuer_IsUsedInLabelAndQueryEscaped()
    {
        var raw = Totp("Acme & Co").BuildUri("bob+test@example.com", RfcSecret);
        var uri = new Uri(raw);

        Assert.StartsWith("otpauth://totp/Acme%20%26%20Co:", raw, StringComparison.Ordinal);
        Assert.Equal("Acme & Co:bob+test@example.com", Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
        Assert.Equal("Acme & Co", Query(uri)["issuer"]);
    }

    private static Dictionary<string, string> Query(Uri uri) =>
        uri.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
}
