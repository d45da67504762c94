using AuthPlatform.Infrastructure.Cluster;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>
/// The key ring in Redis (<c>DataProtection:Store=redis</c>): the list Data Protection's
/// <c>RedisXmlRepository</c> reads and appends to, one key's XML per entry, under <c>Redis:Prefix</c>.
/// </summary>
public static class RedisKeyRing
{
    public static RedisKey Key(RedisConnection redis) => $"{redis.Prefix}:data-protection-keys";

    /// <summary>
    /// At start-up, under the start-up lock: when the Redis list is empty and the database holds keys (a deployment
    /// moving from the database store), copies them, so that what they protect (signing keys, TOTP secrets) stays
    /// readable. Returns how many keys were copied. Fails when Redis is out of reach: the key ring cannot be read then.
    /// </summary>
    public static async Task<int> AdoptDatabaseKeysAsync(AuthDbContext db, RedisConnection redis, CancellationToken cancellationToken)
    {
        var database = redis.Multiplexer.GetDatabase();
        if (await database.ListLengthAsync(Key(redis)) > 0)
        {
            return 0;
        }

        var stored = await db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToListAsync(cancellationToken);
        var keys = stored.Where(x => !string.IsNullOrEmpty(x)).Select(x => (RedisValue)x).ToArray();
        if (keys.Length > 0)
        {
            await database.ListRightPushAsync(Key(redis), keys);
        }

        return keys.Length;
    }
}
