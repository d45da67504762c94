namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>
/// An <c>mfa_token</c> that completed a login (its <c>jti</c>): a replay finds it here. Kept until
/// the token would have expired anyway, then deleted. Not a domain concept: a replay guard.
/// </summary>
public sealed class SpentMfaToken
{
    public const int MaxIdLength = 64;

    private SpentMfaToken()
    {
    }

    public string TokenId { get; private set; } = string.Empty;

    /// <summary>Unix seconds: compared in SQL on every provider without a value converter.</summary>
    public long ExpiresAt { get; private set; }
}
