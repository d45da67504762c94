using System.Text;
using AuthPlatform.Application.OAuth.Common;

namespace AuthPlatform.Application.UnitTests.OAuth;

public sealed class PresentedClientTests
{
    private static string Basic(string raw) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));

    [Fact]
    public void Read_BasicWithFormUrlEncodedParts_DecodesIdAndSecret()
    {
        var result = PresentedClient.Read(new ClientCredentialsInput(Basic("sa_abc:se%3Acret+with%2Bplus"), null, null));

        Assert.True(result.IsSuccess);
        Assert.Equal("sa_abc", result.Value.ClientId);
        Assert.Equal("se:cret with+plus", result.Value.Secret);
        Assert.Equal(ClientAuthMethods.Basic, result.Value.Method);
    }

    [Fact]
    public void Read_FormFields_IsClientSecretPost()
    {
        var result = PresentedClient.Read(new ClientCredentialsInput(null, "sa_abc", "secret"));

        Assert.Equal(new PresentedClient("sa_abc", "secret", ClientAuthMethods.Post), result.Value);
    }

    [Fact]
    public void Read_ClientIdWithoutSecret_IsMethodNone()
    {
        Assert.Equal(ClientAuthMethods.None, PresentedClient.Read(new ClientCredentialsInput(null, "public-app", null)).Value.Method);
    }

    [Fact]
    public void Read_BasicAndFormSecretAtOnce_IsInvalidRequest()
    {
        var result = PresentedClient.Read(new ClientCredentialsInput(Basic("sa_abc:secret"), "sa_abc", "secret"));

        Assert.Equal(OAuthErrorCodes.InvalidRequest, result.Error!.Code);
    }

    [Fact]
    public void Read_BasicAndADifferentFormClientId_IsInvalidRequest()
    {
        Assert.Equal(OAuthErrorCodes.InvalidRequest, PresentedClient.Read(new ClientCredentialsInput(Basic("sa_abc:secret"), "sa_other", null)).Error!.Code);
    }

    [Theory]
    [InlineData("Basic !!!")]
    [InlineData("Basic ")]
    [InlineData("Bearer abc")]
    [InlineData("Basic bm9jb2xvbg==")] // "nocolon"
    [InlineData("Basic OnNlY3JldA==")] // ":secret" (no id)
    public void Read_MalformedAuthorization_IsInvalidClient(string header)
    {
        Assert.Equal(OAuthErrorCodes.InvalidClient, PresentedClient.Read(new ClientCredentialsInput(header, null, null)).Error!.Code);
    }

    [Fact]
    public void Read_Nothing_IsInvalidClient()
    {
        Assert.Equal(OAuthErrorCodes.InvalidClient, PresentedClient.Read(new ClientCredentialsInput(null, null, null)).Error!.Code);
    }

    [Fact]
    public void Read_HugeValues_AreInvalidClient()
    {
        var huge = new string('a', 10_000);

        Assert.Equal(OAuthErrorCodes.InvalidClient, PresentedClient.Read(new ClientCredentialsInput(null, huge, huge)).Error!.Code);
        Assert.Equal(OAuthErrorCodes.InvalidClient, PresentedClient.Read(new ClientCredentialsInput(Basic(huge + ":" + huge), null, null)).Error!.Code);
    }
}
