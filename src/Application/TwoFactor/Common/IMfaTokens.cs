namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>An <c>mfa_token</c> and how many seconds it lives.</summary>
public sealed record IssuedMfaToken(string Token, int ExpiresIn);

/// <summary>The short-lived, single-purpose token between the password step and the second factor.</summary>
public interface IMfaTokens
{
    Task<IssuedMfaToken> IssueAsync(Guid userId, CancellationToken cancellationToken);

    Task<Guid?> ValidateAsync(string token, CancellationToken cancellationToken);
}
