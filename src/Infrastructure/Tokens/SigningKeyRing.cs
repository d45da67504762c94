using System.Text.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Application.Auth.GetJwks;
using AuthPlatform.Application.Signing;
using AuthPlatform.Domain.Signing;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// The signing keys held in memory, so that signing and validating a token never reads the
/// database. Reloaded after a rotation commits, and every minute so that other instances'
/// rotations are seen too.
/// </summary>
public sealed class SigningKeyRing(IServiceScopeFactory scopes, SigningKeyFactory factory, TimeProvider clock) : IPublishedKeys, ISigningKeyRing
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private int _backgroundReload;

    /// <summary>Changes whenever the set of published keys changes; caches of validated tokens key on it.</summary>
    public int Generation => _snapshot.Generation;

    /// <summary>The JWKS document (RFC 7517) of every published key.</summary>
    public string JwksJson => Current().Jwks;

    public IReadOnlyList<SecurityKey> FindValidationKeys(string? kid)
    {
        if (kid is not null && Current().Published.TryGetValue(kid, out var key))
        {
            return [key];
        }

        return [];
    }

    public async Task<SigningCredentials> GetSigningCredentialsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var snapshot = Current();
        var signer = snapshot.Signers.Where(s => s.Key.CanSign(now)).MaxBy(s => s.Key.ActivatesAt);
        if (signer is null)
        {
            await ReloadAsync(cancellationToken);
            signer = _snapshot.Signers.Where(s => s.Key.CanSign(now)).MaxBy(s => s.Key.ActivatesAt)
                ?? throw new InvalidOperationException("No signing key can sign now.");
        }

        return signer.Credentials;
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var keys = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var published = keys.Where(k => k.IsPublished(now)).ToList();
            var signers = keys
                .Where(k => k.RetiredAt is null || k.RetiredAt > now)
                .Select(k => new Signer(k, new SigningCredentials(factory.PrivateKey(k), k.Algorithm)))
                .ToList();
            var jwks = new JsonObject
            {
                ["keys"] = new JsonArray(published.Select(k => (JsonNode)JsonNode.Parse(k.PublicJwk)!).ToArray()),
            };
            var previous = _snapshot;
            var publishedKeys = published.ToDictionary(k => k.KeyId, SigningKeyFactory.PublicKey, StringComparer.Ordinal);
            var sameKeys = previous.Published.Count == publishedKeys.Count && publishedKeys.Keys.All(previous.Published.ContainsKey);
            _snapshot = new Snapshot(
                publishedKeys,
                signers,
                jwks.ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
                now,
                sameKeys ? previous.Generation : previous.Generation + 1);
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private Snapshot Current()
    {
        var snapshot = _snapshot;
        if (clock.GetUtcNow() - snapshot.LoadedAt > RefreshInterval && Interlocked.CompareExchange(ref _backgroundReload, 1, 0) == 0)
        {
            // One refresh in the background at a time; this request goes on with what it has.
            _ = Task.Run(async () =>
            {
                try
                {
                    await ReloadAsync(CancellationToken.None);
                }
                finally
                {
                    Volatile.Write(ref _backgroundReload, 0);
                }
            });
        }

        return snapshot;
    }

    private sealed record Signer(SigningKey Key, SigningCredentials Credentials);

    private sealed record Snapshot(
        IReadOnlyDictionary<string, SecurityKey> Published,
        IReadOnlyList<Signer> Signers,
        string Jwks,
        DateTimeOffset LoadedAt,
        int Generation)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, SecurityKey>(), [], """{"keys":[]}""", DateTimeOffset.MinValue, 0);
    }
}
