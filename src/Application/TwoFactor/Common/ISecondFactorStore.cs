namespace AuthPlatform.Application.TwoFactor.Common;

/// <summary>
/// The single-use rules of MFA-01, each one atomic conditional update (ADR 0009), so that a code
/// is accepted once even under parallel requests. No in-memory check duplicates them.
/// </summary>
public interface ISecondFactorStore
{
    /// <summary>Records <paramref name="step"/> as the last accepted step if it is newer; false when that step or a later one was taken.</summary>
    Task<bool> TryAdvanceTotpStepAsync(Guid userId, long step, CancellationToken cancellationToken);

    /// <summary>Marks a recovery code used if it was unused; false when another request used it first.</summary>
    Task<bool> TryRedeemRecoveryCodeAsync(Guid codeId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records an <c>mfa_token</c>'s id as spent with one conditional insert; false when it was
    /// spent already (a replay, or a parallel request that came first). Kept until <paramref name="expiresAt"/>.
    /// </summary>
    Task<bool> TrySpendMfaTokenAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
