using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.TwoFactor;

/// <summary>
/// The atomic claims of MFA-01 and of the single-use <c>mfa_token</c>: conditional updates and a
/// conditional insert, so a parallel replay finds nothing to claim. Outside a command's transaction
/// each claim is a write of its own and waits at the <see cref="DatabaseWriteGate"/> (SQLite, ADR 0015).
/// </summary>
public sealed class SecondFactorStore(AuthDbContext db, TimeProvider clock, DatabaseWriteGate? gate = null) : ISecondFactorStore
{
    private readonly DatabaseWriteGate _gate = gate ?? DatabaseWriteGate.None;

    public async Task<bool> TryAdvanceTotpStepAsync(Guid userId, long step, CancellationToken cancellationToken) =>
        await _gate.WriteAsync(
            db,
            ct => db.Users
                .Where(u => u.Id == userId && (u.LastTotpStep == null || u.LastTotpStep < step))
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpStep, step), ct),
            cancellationToken) == 1;

    public async Task<bool> TryRedeemRecoveryCodeAsync(Guid codeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _gate.WriteAsync(
            db,
            ct => db.Set<Domain.Users.RecoveryCode>()
                .Where(c => c.Id == codeId && c.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct),
            cancellationToken) == 1;

    /// <summary>
    /// One insert that does nothing when the id is there already (the primary key decides between
    /// parallel inserts: exactly one adds the row). Then the rows of expired tokens go.
    /// </summary>
    public Task<bool> TrySpendMfaTokenAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        _gate.WriteAsync(db, ct => TrySpendUngatedAsync(tokenId, expiresAt, ct), cancellationToken);

    private async Task<bool> TrySpendUngatedAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        int inserted;
        try
        {
            inserted = db is SqlServerAuthDbContext
                ? await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO spent_mfa_tokens (token_id, expires_at) SELECT {tokenId}, {expires} WHERE NOT EXISTS (SELECT 1 FROM spent_mfa_tokens WITH (UPDLOCK, HOLDLOCK) WHERE token_id = {tokenId})",
                    cancellationToken)
                : await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO spent_mfa_tokens (token_id, expires_at) VALUES ({tokenId}, {expires}) ON CONFLICT (token_id) DO NOTHING",
                    cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.Data.SqlClient.SqlException { Number: 2601 or 2627 })
        {
            inserted = 0;
        }

        if (inserted == 1)
        {
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            await db.Set<SpentMfaToken>().Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }

        return inserted == 1;
    }
}
