using AuthPlatform.Application.TwoFactor.Common;
using Microsoft.AspNetCore.DataProtection;

namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>TOTP secrets encrypted with ASP.NET Core Data Protection (their own purpose string).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuthPlatform.TotpSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
