using AuthPlatform.Application.Common.Options;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Admin.RotateSigningKey;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>Creates the first signing key and rotates keys in phases (JWT-05).</summary>
public sealed class SigningKeyManager(
    AuthDbContext db,
    SigningKeyFactory factory,
    SigningKeyRing ring,
    IAfterCommit afterCommit,
    IOptions<JwtOptions> options,
    TimeProvider clock) : ISigningKeyManager
{
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var jwt = options.Value;
        var next = factory.Create(jwt.SigningAlgorithm, now, now + jwt.KeyActivationDelay);
        var current = await db.SigningKeys.Where(k => k.RetiredAt == null).ToListAsync(cancellationToken);
        foreach (var key in current)
        {
            // Stops signing when the new key starts; published until its last token expires.
            key.Retire(next.ActivatesAt, jwt.AccessTokenLifetime + jwt.ClockSkew);
        }

        db.SigningKeys.Add(next);
        afterCommit.Enqueue(ring.ReloadAsync);
        return next.KeyId;
    }

    /// <summary>At start-up: makes sure a key can sign, creating the first one if there is none.</summary>
    public async Task EnsureSigningKeyAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var keys = await db.SigningKeys.ToListAsync(cancellationToken);
        if (!keys.Any(k => k.CanSign(now) || (k.RetiredAt is null && k.ActivatesAt > now)))
        {
            db.SigningKeys.Add(factory.Create(options.Value.SigningAlgorithm, now, now));
            await db.SaveChangesAsync(cancellationToken);
        }

        await ring.ReloadAsync(cancellationToken);
    }
}
