using AuthPlatform.Application.TwoFactor;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OtpNet;
using QRCoder;

namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>Configuration section <c>TwoFactor</c>.</summary>
public sealed class TwoFactorOptions
{
    public const string SectionName = "TwoFactor";

    /// <summary>The name authenticator apps show beside the account.</summary>
    public string Issuer { get; set; } = "AuthPlatform";
}

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

public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuthPlatform.TotpSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

/// <summary>PNG QR codes with QRCoder's own PNG writer (no System.Drawing).</summary>
public sealed class QrCoderRenderer : IQrCodeRenderer
{
    public byte[] Png(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }
}

/// <summary>
/// The <c>mfa_token</c>: a JWT signed with the token key ring, but with its own type
/// (<c>mfa+jwt</c>) and audience, so it is refused as an access token, and lives 5 minutes.
/// </summary>
public sealed class JwtMfaTokens(SigningKeyRing ring, IOptions<Application.Common.Options.JwtOptions> jwt, TimeProvider clock) : IMfaTokens
{
    public const string TokenType = "mfa+jwt";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    private string Audience => jwt.Value.Audience + ":mfa";

    public async Task<(string Token, int ExpiresIn)> IssueAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            TokenType = TokenType,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = await ring.GetSigningCredentialsAsync(cancellationToken),
        });
        return (token, (int)Lifetime.TotalSeconds);
    }

    public async Task<Guid?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = jwt.Value.Issuer,
            ValidAudience = Audience,
            ValidTypes = [TokenType],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            IssuerSigningKeyResolver = (_, _, kid, _) => ring.FindValidationKeys(kid),
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && exp > clock.GetUtcNow().UtcDateTime && (notBefore is null || notBefore <= clock.GetUtcNow().UtcDateTime),
        });
        return result.IsValid && Guid.TryParse(((JsonWebToken)result.SecurityToken).Subject, out var id) ? id : null;
    }
}

/// <summary>The atomic claims of MFA-01: conditional updates, so a parallel replay finds nothing to update.</summary>
public sealed class SecondFactorStore(AuthDbContext db) : ISecondFactorStore
{
    public async Task<bool> TryAdvanceTotpStepAsync(Guid userId, long step, CancellationToken cancellationToken) =>
        await db.Users
            .Where(u => u.Id == userId && (u.LastTotpStep == null || u.LastTotpStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpStep, step), cancellationToken) == 1;

    public async Task<bool> TryRedeemRecoveryCodeAsync(Guid codeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Set<Domain.Users.RecoveryCode>()
            .Where(c => c.Id == codeId && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) == 1;
}
