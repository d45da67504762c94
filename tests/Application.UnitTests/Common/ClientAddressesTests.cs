using AuthPlatform.Application.Common.Security;

namespace AuthPlatform.Application.UnitTests.Common;

public sealed class ClientAddressesTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void ThrottleKey_IPv4_IsTheAddressItself(string address, string expected) =>
        Assert.Equal(expected, ClientAddresses.ThrottleKey(address));

    [Theory]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("::FFFF:10.0.0.1", "10.0.0.1")]
    public void ThrottleKey_IPv4MappedIPv6_IsTheIPv4Address(string address, string expected) =>
        Assert.Equal(expected, ClientAddresses.ThrottleKey(address));

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:DB8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8::1", "2001:db8::/64")]
    [InlineData("::1", "::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    public void ThrottleKey_IPv6_IsItsSlash64(string address, string expected) =>
        Assert.Equal(expected, ClientAddresses.ThrottleKey(address));

    [Fact]
    public void ThrottleKey_TwoAddressesOfOneSlash64_ShareAKeyAndTheNextSlash64DoesNot()
    {
        var first = ClientAddresses.ThrottleKey("2001:db8:0:7::1");

        Assert.Equal(first, ClientAddresses.ThrottleKey("2001:db8:0:7:ffff:ffff:ffff:ffff"));
        Assert.NotEqual(first, ClientAddresses.ThrottleKey("2001:db8:0:8::1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not an address")]
    [InlineData("203.0.113.9:443")]
    [InlineData("2001:db8::zz")]
    [InlineData("999.1.1.1")]
    public void ThrottleKey_NullOrGarbage_IsUnknown(string? address)
    {
        Assert.Equal(ClientAddresses.Unknown, ClientAddresses.ThrottleKey(address));
        Assert.Equal("unknown", ClientAddresses.Unknown);
    }
}
