namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>Encrypts secrets that must be read back (TOTP secrets), with ASP.NET Core Data Protection.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
