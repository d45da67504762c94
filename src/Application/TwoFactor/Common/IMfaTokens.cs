namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>An <c>mfa_token</c> and how many seconds it lives.</summary>
public sealed record IssuedMfaToken(string Token, int ExpiresIn);

/// <summary>
/// What a genuine, unexpired <c>mfa_token</c> says: whose password step it follows, the
/// fingerprint of their security stamp then, and its id (<c>jti</c>), spent when it is redeemed.
/// </summary>
public sealed record MfaTokenClaims(Guid UserId, string? StampFingerprint, string TokenId, DateTimeOffset ExpiresAt);

/// <summary>The short-lived, single-purpose, single-use token between the password step and the second factor.</summary>
public interface IMfaTokens
{
    Task<IssuedMfaToken> IssueAsync(Guid userId, string stampFingerprint, CancellationToken cancellationToken);

    /// <summary>The token's claims when its signature, type, audience and lifetime are right; else null.</summary>
    Task<MfaTokenClaims?> ValidateAsync(string token, CancellationToken cancellationToken);
}
