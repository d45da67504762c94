using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.OAuth;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.Cluster;

/// <summary>
/// Every per-node memory of the verification path, in one place (ADR 0022): the verified-key cache,
/// the verified-token cache, the client registrations, the refused stamps, tokens, sessions and
/// clients, and the signing-key ring. Applies what another node announced, drops what may be stale
/// when this node may have missed announcements, and reads the refusals back from the database.
/// </summary>
public sealed partial class VerificationMemory(
    ApiKeyAuthenticator apiKeys,
    JwtAccessTokenValidator tokens,
    ClientRegistrationCache registrations,
    SecurityStampCache stamps,
    RevokedAccessTokenCache revokedTokens,
    RevokedClientCache revokedClients,
    SigningKeyRing ring,
    IServiceScopeFactory scopes,
    ILogger<VerificationMemory> logger)
{
    /// <summary>Makes here the change another node made (and announced once it committed).</summary>
    public void Apply(Invalidation invalidation)
    {
        switch (invalidation)
        {
            case Invalidation.ApiKeyEvicted e:
                apiKeys.Evict(e.KeyHash);
                break;
            case Invalidation.StampRotated e:
                stamps.Remember(e.UserId, e.Fingerprint, e.RotatedAt);
                break;
            case Invalidation.TokenRevoked e:
                revokedTokens.RememberToken(e.TokenId, e.ExpiresAt);
                break;
            case Invalidation.SessionRevoked e:
                revokedTokens.RememberSession(e.SessionId, e.RevokedAt);
                break;
            case Invalidation.ClientRevoked e:
                revokedClients.Remember(e.ClientId, e.RevokedAt);
                break;
            case Invalidation.RegistrationChanged e:
                registrations.EvictClient(e.ClientId);
                break;
            case Invalidation.OwnerChanged e:
                registrations.EvictOwner(e.UserId);
                break;
            case Invalidation.SigningKeysChanged:
                _ = ReloadKeysAsync();
                break;
        }
    }

    /// <summary>Forgets everything remembered as verified (keys, tokens, client registrations): the next use reads or checks it again.</summary>
    public void ForgetVerified()
    {
        apiKeys.ForgetAll();
        tokens.ForgetAll();
        registrations.ForgetAll();
    }

    /// <summary>Reads the refusals (stamps, sessions, deleted clients) and the signing keys back from the database; refusals are only added.</summary>
    public async Task RefreshFromDatabaseAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            await stamps.LoadRecentAsync(db, cancellationToken);
            await revokedTokens.LoadRecentAsync(db, cancellationToken);
            await revokedClients.LoadRecentAsync(db, cancellationToken);
        }

        await ring.ReloadAsync(cancellationToken);
    }

    private async Task ReloadKeysAsync()
    {
        try
        {
            await ring.ReloadAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The database may be out of reach: the ring reloads again within a minute on its own.
            LogReloadFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reloading the signing keys another node announced failed ({Exception}); the ring reloads again within a minute")]
    private static partial void LogReloadFailed(ILogger logger, string exception);
}
