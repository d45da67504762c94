using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.UnitTests.Authorization;

public sealed class ScopeSetTests
{
    [Fact]
    public void Parse_SpaceSeparatedNames_KeepsThemInTheOrderGiven()
    {
        var set = ScopeSet.Parse("profile models.read api_keys:write");

        Assert.Equal(["profile", "models.read", "api_keys:write"], set);
        Assert.Equal(3, set.Count);
        Assert.Equal("models.read", set[1]);
    }

    [Fact]
    public void Parse_WithRepeatedAndExtraSpaces_KeepsEachNameOnceAtItsFirstPlace()
    {
        var set = ScopeSet.Parse("  models.read  profile models.read   audit:read profile ");

        Assert.Equal(["models.read", "profile", "audit:read"], set);
        Assert.Equal("models.read profile audit:read", set.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_NothingGiven_IsEmpty(string? value)
    {
        var set = ScopeSet.Parse(value);

        Assert.Empty(set);
        Assert.Same(ScopeSet.Empty, set);
        Assert.Equal(string.Empty, set.ToString());
    }

    [Theory]
    [InlineData("profile Models.read")]
    [InlineData("profile models/read")]
    [InlineData("modèles")]
    [InlineData("profile\tmodels.read")]
    public void Parse_WithAnInvalidName_ThrowsDomainException(string value)
    {
        Assert.Throws<DomainException>(() => ScopeSet.Parse(value));
    }

    [Fact]
    public void Parse_WithANameOf65Characters_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => ScopeSet.Parse("profile " + new string('a', 65)));
        Assert.Single(ScopeSet.Parse(new string('a', 64)));
    }

    [Theory]
    [InlineData("profile Models.read")]
    [InlineData("UPPER")]
    [InlineData("profile scope*")]
    public void TryParse_WithAnInvalidName_ReturnsFalseAndTheEmptySet(string value)
    {
        var parsed = ScopeSet.TryParse(value, out var set);

        Assert.False(parsed);
        Assert.Same(ScopeSet.Empty, set);
    }

    [Fact]
    public void TryParse_WithValidNames_ReturnsTrueAndTheSet()
    {
        var parsed = ScopeSet.TryParse("profile admin profile", out var set);

        Assert.True(parsed);
        Assert.Equal(["profile", "admin"], set);
    }

    [Fact]
    public void From_List_ValidatesDedupesAndKeepsOrder()
    {
        var set = ScopeSet.From(["llm:read", "profile", "llm:read"]);

        Assert.Equal(["llm:read", "profile"], set);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("Profile")]
    public void From_ListWithAnInvalidName_ThrowsDomainException(string invalid)
    {
        Assert.Throws<DomainException>(() => ScopeSet.From(["profile", invalid]));
        Assert.False(ScopeSet.TryFrom(["profile", invalid], out var set));
        Assert.Same(ScopeSet.Empty, set);
    }

    [Fact]
    public void From_ListWithANull_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => ScopeSet.From(["profile", null!]));
    }

    [Fact]
    public void Contains_ComparesOrdinally()
    {
        var set = ScopeSet.Parse("profile models.read");

        Assert.Contains("models.read", set);
        Assert.True(set.Contains("profile"));
        Assert.False(set.Contains("Profile"));
        Assert.False(set.Contains("models"));
    }

    [Fact]
    public void FirstMissingFrom_HolderWithEveryScope_IsNull()
    {
        var set = ScopeSet.Parse("profile models.read");

        Assert.Null(set.FirstMissingFrom(["models.read", "admin", "profile"]));
        Assert.Null(ScopeSet.Empty.FirstMissingFrom([]));
    }

    [Fact]
    public void FirstMissingFrom_HolderLackingSome_IsTheFirstMissingInTheSetsOrder()
    {
        var set = ScopeSet.Parse("profile models.read audit:read llm:read");

        Assert.Equal("models.read", set.FirstMissingFrom(["profile", "llm:read"]));
        Assert.Equal("profile", set.FirstMissingFrom([]));
    }

    [Fact]
    public void FirstMissingFrom_ComparesOrdinally()
    {
        Assert.Equal("profile", ScopeSet.Parse("profile").FirstMissingFrom(["PROFILE"]));
    }

    [Fact]
    public void Equals_SameNamesSameOrder_IsTrueWithTheSameHashCode()
    {
        var a = ScopeSet.Parse("profile models.read");
        var b = ScopeSet.From(["profile", "models.read", "profile"]);

        Assert.Equal(a, b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentNames_IsFalse()
    {
        var a = ScopeSet.Parse("profile models.read");

        Assert.NotEqual(a, ScopeSet.Parse("profile"));
        Assert.NotEqual(a, ScopeSet.Parse("profile models.write"));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)"profile models.read"));
    }
}
