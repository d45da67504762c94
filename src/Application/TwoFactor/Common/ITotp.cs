namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>RFC 6238 TOTP: SHA1, 6 digits, 30-second steps, one step of drift either way.</summary>
public interface ITotp
{
    /// <summary>A new 160-bit secret, base32 as authenticator apps expect it.</summary>
    string NewSecret();

    string BuildUri(string accountName, string secret);

    /// <summary>The time step the code belongs to (within one step of now), or null when it matches none.</summary>
    long? Match(string secret, string code, DateTimeOffset now);
}
