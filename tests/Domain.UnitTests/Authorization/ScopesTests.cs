using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.UnitTests.Authorization;

public sealed class ScopesTests
{
    [Theory]
    [InlineData("models.read")]
    [InlineData("read:objects")]
    [InlineData("llm:read")]
    [InlineData("api_keys:write")]
    [InlineData("a")]
    [InlineData("my-scope_2.0:x")]
    public void IsValidName_WithAllowedCharacters_ReturnsTrue(string scope)
    {
        Assert.True(Scopes.IsValidName(scope));
    }

    [Fact]
    public void IsValidName_With64Characters_ReturnsTrue()
    {
        var scope = new string('a', 64);

        Assert.True(Scopes.IsValidName(scope));
    }

    [Fact]
    public void IsValidName_With65Characters_ReturnsFalse()
    {
        var scope = new string('a', 65);

        Assert.False(Scopes.IsValidName(scope));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Models.read")]
    [InlineData("MODELS")]
    [InlineData("models read")]
    [InlineData(" models")]
    [InlineData("models/read")]
    [InlineData("models\nread")]
    [InlineData("modèles")]
    [InlineData("models*")]
    public void IsValidName_WithForbiddenInput_ReturnsFalse(string? scope)
    {
        Assert.False(Scopes.IsValidName(scope));
    }

    [Fact]
    public void BuiltIn_Always_AreValidNames()
    {
        Assert.All(Scopes.BuiltIn, s => Assert.True(Scopes.IsValidName(s), s));
        Assert.Contains(Scopes.Admin, Scopes.BuiltIn);
    }

    [Fact]
    public void ForRole_User_ExcludesAdminAndIncludesOperatorScopes()
    {
        var scopes = Scopes.ForRole(UserRole.User, ["models.read", "llm:read"]);

        Assert.DoesNotContain(Scopes.Admin, scopes);
        Assert.Contains("models.read", scopes);
        Assert.Contains("llm:read", scopes);
        Assert.All(Scopes.BuiltIn.Where(s => s != Scopes.Admin), s => Assert.Contains(s, scopes));
    }

    [Fact]
    public void ForRole_User_WithAdminAmongOperatorScopes_StillExcludesAdmin()
    {
        var scopes = Scopes.ForRole(UserRole.User, [Scopes.Admin, "models.read"]);

        Assert.DoesNotContain(Scopes.Admin, scopes);
        Assert.Contains("models.read", scopes);
    }

    [Fact]
    public void Effective_GrantOfADemotedAdministrator_KeepsTheRestInOrderWithoutAdmin()
    {
        ScopeSet granted = ["admin", "profile", "models.read", "api_keys:read"];

        Assert.Equal(["profile", "models.read", "api_keys:read"], Scopes.Effective(granted, UserRole.User, ["models.read"]));
        Assert.Equal(granted, Scopes.Effective(granted, UserRole.Admin, ["models.read"]));
    }

    [Fact]
    public void Effective_NeverWidensTheGrantAndDropsScopesTheCatalogNoLongerHas()
    {
        ScopeSet granted = ["profile", "models.read"];

        Assert.Equal(["profile"], Scopes.Effective(granted, UserRole.Admin, ["objects.read"]));
    }

    [Fact]
    public void ForRole_Admin_IncludesAdminAndOperatorScopes()
    {
        var scopes = Scopes.ForRole(UserRole.Admin, ["models.read"]);

        Assert.Contains(Scopes.Admin, scopes);
        Assert.Contains("models.read", scopes);
        Assert.All(Scopes.BuiltIn, s => Assert.Contains(s, scopes));
    }

    [Fact]
    public void ForRole_WithDuplicateOperatorScopes_ListsEachOnce()
    {
        var scopes = Scopes.ForRole(UserRole.Admin, ["models.read", "models.read", Scopes.Profile]);

        Assert.Equal(scopes.Count, scopes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Scopes.BuiltIn.Count + 1, scopes.Count);
    }
}
