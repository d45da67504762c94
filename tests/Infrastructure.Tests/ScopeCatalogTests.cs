using AuthPlatform.Application.Common.Options;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Infrastructure;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tests;

public sealed class ScopeCatalogTests
{
    private static ScopeCatalog Catalog(params string[] custom) => new(Options.Create(new ScopeOptions { Custom = [.. custom] }));

    [Fact]
    public void Constructor_WithValidCustomScopes_KnowsThemAndBuiltIns()
    {
        var catalog = Catalog("models.read", "llm:read");

        Assert.Equal(["models.read", "llm:read"], catalog.OperatorScopes);
        Assert.True(catalog.IsKnown("models.read"));
        Assert.True(catalog.IsKnown(Scopes.Admin));
        Assert.False(catalog.IsKnown("models.write"));
    }

    [Fact]
    public void Constructor_WithBuiltInOrDuplicateCustomScopes_ListsOperatorScopesOnce()
    {
        var catalog = Catalog("models.read", "models.read", Scopes.Profile);

        Assert.Equal(["models.read"], catalog.OperatorScopes);
    }

    [Theory]
    [InlineData("Models.Read")]
    [InlineData("models read")]
    [InlineData("models/read")]
    public void Constructor_WithInvalidCustomScope_ThrowsNamingIt(string invalid)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Catalog("models.read", invalid));

        Assert.Contains(invalid, e.Message, StringComparison.Ordinal);
    }
}
