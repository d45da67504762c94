namespace AuthPlatform.Integration.Tests.Startup;

/// <summary>Section <c>Redis</c> (ADR 0022): empty is one node; a set value is checked before anything starts.</summary>
public sealed class ClusterSettingsTests
{
    [Fact]
    public void Validate_RedisUnset_OrEmpty_IsValid()
    {
        Assert.Empty(ValidatorInput.Validate());
        Assert.Empty(ValidatorInput.Validate("Redis:Connection="));
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis-a.internal:6379,redis-b.internal:6380,password=s3cret,ssl=true,abortConnect=false")]
    public void Validate_RedisConnectionNamingAServer_IsValid(string connection)
    {
        Assert.Empty(ValidatorInput.Validate($"Redis:Connection={connection}"));
    }

    [Theory]
    [InlineData("password=hunter2-secret")]
    [InlineData("127.0.0.1:6379,password=hunter2-secret,connectTimeout=soon")]
    [InlineData("127.0.0.1:6379,password=hunter2-secret,nosuchoption=1")]
    public void Validate_RedisConnectionUnreadableOrWithoutServer_ReportsOneLineWithoutTheValue(string connection)
    {
        var line = ValidatorInput.SingleErrorFor("Redis:Connection", ValidatorInput.Validate($"Redis:Connection={connection}"));

        Assert.Contains("host:port", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Redis:DegradedCacheDuration", "00:00:00", "from 00:00:01 (1 second) to 00:00:10 (10 seconds)")]
    [InlineData("Redis:DegradedCacheDuration", "00:00:11", "from 00:00:01 (1 second) to 00:00:10 (10 seconds)")]
    [InlineData("Redis:DegradedCacheDuration", "soon", "which is not a duration")]
    [InlineData("Redis:Prefix", "has space", "1 to 64 letters, digits or _ - . :")]
    public void Validate_RedisSettingOutOfBounds_ReportsOneLine(string key, string value, string expected)
    {
        var line = ValidatorInput.SingleErrorFor(key, ValidatorInput.Validate($"{key}={value}"));

        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DataProtection:Store=database")]
    [InlineData("DataProtection:Store=Redis", "Redis:Connection=127.0.0.1:6379")]
    public void Validate_DataProtectionStoreDatabase_OrRedisWithAConnection_IsValid(params string[] settings)
    {
        Assert.Empty(ValidatorInput.Validate(settings));
    }

    [Theory]
    [InlineData("redis", "is redis, but Redis:Connection is not set")]
    [InlineData("memcached", "database (the default) or redis")]
    [InlineData("1", "database (the default) or redis")]
    public void Validate_DataProtectionStoreRedisWithoutRedis_OrUnknown_ReportsOneLine(string value, string expected)
    {
        var line = ValidatorInput.SingleErrorFor("DataProtection:Store", ValidatorInput.Validate($"DataProtection:Store={value}"));

        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
