using AuthPlatform.Infrastructure.Hashing;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class CommonPasswordListTests
{
    private static readonly CommonPasswordList List = new();

    [Theory]
    [InlineData("password1234")]
    [InlineData("PASSWORD1234")]
    [InlineData("Password1234")]
    [InlineData("123qweasdzxc")]
    [InlineData("123QWEASDZXC")]
    [InlineData("password")]
    public void Contains_CommonPassword_ReturnsTrueWhateverTheCase(string password)
    {
        Assert.True(List.Contains(password));
    }

    [Theory]
    [InlineData("correcthorsebatterystaple")]
    [InlineData("a perfectly fine passphrase")]
    public void Contains_UncommonPassword_ReturnsFalse(string password)
    {
        Assert.False(List.Contains(password));
    }

    [Fact]
    public void Count_WithBothSources_HoldsZxcvbnListAndOwnList()
    {
        // zxcvbn's list holds 30,000 passwords; ours adds a few dozen long ones.
        Assert.True(List.Count > 25_000, $"only {List.Count} passwords loaded");
    }

    [Fact]
    public void Contains_CommentLineOfOwnList_ReturnsFalse()
    {
        Assert.False(List.Contains("# One a line, compared case-insensitively. Passwords of 12 or more characters only."));
    }
}
