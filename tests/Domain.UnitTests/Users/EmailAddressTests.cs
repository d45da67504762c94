using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.UnitTests.Users;

public sealed class EmailAddressTests
{
    [Fact]
    public void Create_WithSurroundingSpaces_KeepsTheTrimmedAddressAsTyped()
    {
        var email = EmailAddress.Create("  Alice.Smith@Example.COM \t");

        Assert.Equal("Alice.Smith@Example.COM", email.Value);
        Assert.Equal("Alice.Smith@Example.COM", email.ToString());
    }

    [Fact]
    public void Create_Always_NormalizesToUpperInvariant()
    {
        Assert.Equal("ALICE.SMITH@EXAMPLE.COM", EmailAddress.Create(" Alice.Smith@Example.com ").Normalized);
        Assert.Equal("STRASSE@EXAMPLE.COM", EmailAddress.Create("strasse@example.com").Normalized);
    }

    [Fact]
    public void Create_DifferentCaseAndSpaces_GiveTheSameNormalizedForm()
    {
        Assert.Equal(EmailAddress.Create("Bob@Example.com").Normalized, EmailAddress.Create("  bob@EXAMPLE.COM ").Normalized);
        Assert.NotEqual(EmailAddress.Create("bob@example.com").Normalized, EmailAddress.Create("bob2@example.com").Normalized);
    }

    [Theory]
    [InlineData(" Bob@Example.com ")]
    [InlineData("BOB@example.COM")]
    public void NormalizeForLookup_AnyForm_MatchesTheStoredNormalizedForm(string presented)
    {
        Assert.Equal(EmailAddress.Create("bob@example.com").Normalized, EmailAddress.NormalizeForLookup(presented));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData(null)]
    public void Create_Blank_ThrowsDomainException(string? value)
    {
        Assert.Throws<DomainException>(() => EmailAddress.Create(value!));
    }

    [Fact]
    public void Create_LongerThanMax_ThrowsDomainException()
    {
        var email = new string('a', EmailAddress.MaxLength - "@example.com".Length + 1) + "@example.com";

        Assert.Equal(EmailAddress.MaxLength + 1, email.Length);
        Assert.Throws<DomainException>(() => EmailAddress.Create(email));
    }

    [Fact]
    public void Create_ExactlyMax_Succeeds()
    {
        var email = new string('a', EmailAddress.MaxLength - "@example.com".Length) + "@example.com";

        Assert.Equal(EmailAddress.MaxLength, EmailAddress.Create(email).Value.Length);
        Assert.Equal(EmailAddress.MaxLength, User.MaxEmailLength);
    }

    [Fact]
    public void Equals_SameAddress_IsTrue()
    {
        Assert.Equal(EmailAddress.Create("alice@example.com"), EmailAddress.Create(" alice@example.com "));
    }
}
