using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.TwoFactor;

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
