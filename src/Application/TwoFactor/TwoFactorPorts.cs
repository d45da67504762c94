namespace AuthPlatform.Application.TwoFactor;

/// <summary>RFC 6238 TOTP: SHA1, 6 digits, 30-second steps, one step of drift either way.</summary>
public interface ITotp
{
    /// <summary>A new 160-bit secret, base32 as authenticator apps expect it.</summary>
    string NewSecret();

    string BuildUri(string accountName, string secret);

    /// <summary>The time step the code belongs to (within one step of now), or null when it matches none.</summary>
    long? Match(string secret, string code, DateTimeOffset now);
}

/// <summary>Encrypts secrets that must be read back (TOTP secrets), with ASP.NET Core Data Protection.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}

public interface IQrCodeRenderer
{
    byte[] Png(string text);
}

/// <summary>The short-lived, single-purpose token between the password step and the second factor.</summary>
public interface IMfaTokens
{
    Task<(string Token, int ExpiresIn)> IssueAsync(Guid userId, CancellationToken cancellationToken);

    Task<Guid?> ValidateAsync(string token, CancellationToken cancellationToken);
}

/// <summary>Atomic updates that make a code usable once even under parallel requests (MFA-01).</summary>
public interface ISecondFactorStore
{
    /// <summary>Records <paramref name="step"/> as the last accepted step if it is newer; false when another request took it.</summary>
    Task<bool> TryAdvanceTotpStepAsync(Guid userId, long step, CancellationToken cancellationToken);

    /// <summary>Marks a recovery code used if it was unused; false when another request used it first.</summary>
    Task<bool> TryRedeemRecoveryCodeAsync(Guid codeId, DateTimeOffset now, CancellationToken cancellationToken);
}
