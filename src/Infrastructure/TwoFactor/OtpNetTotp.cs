using AuthPlatform.Application.TwoFactor.Common;
using Microsoft.Extensions.Options;
using OtpNet;

namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>TOTP with Otp.NET: SHA1, 6 digits, 30 s, one step of drift each way (RFC 6238 section 5.2).</summary>
public sealed class OtpNetTotp(IOptions<TwoFactorOptions> options) : ITotp
{
    private static readonly VerificationWindow OneStepEachWay = new(previous: 1, future: 1);

    public string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20)); // 160 bits

    public string BuildUri(string accountName, string secret)
    {
        var issuer = options.Value.Issuer;
        return $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(accountName)}"
            + $"?secret={secret}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
    }

    public long? Match(string secret, string code, DateTimeOffset now)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret), step: 30, mode: OtpHashMode.Sha1, totpSize: 6);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, OneStepEachWay) ? step : null;
    }
}
