using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Infrastructure.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthPlatform.Infrastructure.Tests;

/// <summary>The announcements of ADR 0022 on the wire, and the one-node composition that touches no Redis.</summary>
public sealed class InvalidationTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123);

    public static TheoryData<Invalidation> Every => new()
    {
        new Invalidation.ApiKeyEvicted("2Fq1x+/aGVsbG8gd29ybGQ="),
        new Invalidation.StampRotated(Guid.NewGuid(), "abc_DEF-123", At),
        new Invalidation.TokenRevoked("jti|with|bars", At),
        new Invalidation.SessionRevoked(Guid.NewGuid(), At),
        new Invalidation.ClientRevoked("oc_client|odd", At),
        new Invalidation.RegistrationChanged("sa_abc"),
        new Invalidation.OwnerChanged(Guid.NewGuid()),
        new Invalidation.SigningKeysChanged(),
    };

    [Theory]
    [MemberData(nameof(Every))]
    public void Decode_OfEncode_IsTheSameInvalidation(Invalidation invalidation)
    {
        Assert.Equal(invalidation, Invalidation.Decode(invalidation.Encode()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown|x")]
    [InlineData("stamp|not-a-guid|1|fp")]
    [InlineData("session|00000000-0000-0000-0000-000000000001|-5")]
    [InlineData("token|99999999999999999999999|jti")]
    [InlineData("key")]
    public void Decode_LineItDoesNotKnow_IsNull(string line)
    {
        Assert.Null(Invalidation.Decode(line));
    }

    [Fact]
    public void AddCluster_WithoutRedisConnection_RegistersNoRedisAndASilentBus()
    {
        var services = new ServiceCollection().AddCluster(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Connection"] = "" }).Build());

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(RedisConnection) || d.ServiceType == typeof(RedisInvalidationBus));
        Assert.Contains(services, d => d.ServiceType == typeof(IInvalidationBus) && d.ImplementationType == typeof(SingleNodeBus));
        Assert.Contains(services, d => d.ServiceType == typeof(IApiKeyCache));
    }
}
