using AuthPlatform.Infrastructure.Cluster;
using AuthPlatform.Infrastructure.DataProtection;
using StackExchange.Redis;

namespace AuthPlatform.WebApi.Startup;

/// <summary>
/// Section <c>Redis</c>: empty, one node; set, a StackExchange.Redis configuration naming at least one server (ADR 0022).
/// <c>DataProtection:Store</c>: <c>database</c> or <c>redis</c>, the latter only with <c>Redis:Connection</c>.
/// </summary>
public static class ClusterSettingsRules
{
    public static void Check(SettingsReader reader)
    {
        var redis = reader.Bind<RedisOptions>(RedisOptions.SectionName);
        if (redis.IsConfigured && !IsUsable(redis.Connection))
        {
            // The string may hold a password: never printed.
            reader.Fail(
                "Redis:Connection",
                "is set to a value StackExchange.Redis cannot read or that names no server (value not shown)",
                "empty (one node), or host:port[,host:port][,option=value...], e.g. redis.internal:6379,password=...");
        }

        if (redis.Prefix.Length is < 1 or > 64 || !redis.Prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
        {
            reader.Fail("Redis:Prefix", $"is {reader.Shown("Redis:Prefix")}", "1 to 64 letters, digits or _ - . :");
        }

        reader.Duration("Redis:DegradedCacheDuration", redis.DegradedCacheDuration, RedisOptions.DegradedCacheDurationMin, RedisOptions.DegradedCacheDurationMax);

        var keyRing = reader.Bind<KeyRingStoreOptions>(KeyRingStoreOptions.SectionName);
        if (reader.IsUnreadable(KeyRingStoreOptions.StoreKey))
        {
            reader.Fail(KeyRingStoreOptions.StoreKey, $"is {reader.Shown(KeyRingStoreOptions.StoreKey)}", "database (the default) or redis");
        }
        else if (keyRing.Store == KeyRingStore.Redis && !redis.IsConfigured)
        {
            reader.Fail(KeyRingStoreOptions.StoreKey, "is redis, but Redis:Connection is not set", "database, or redis together with Redis:Connection (ADR 0022)");
        }
    }

    private static bool IsUsable(string connection)
    {
        try
        {
            return ConfigurationOptions.Parse(connection).EndPoints.Count > 0;
        }
        catch (Exception e) when (e is ArgumentException or RedisException or FormatException)
        {
            return false;
        }
    }
}
