namespace AuthPlatform.Architecture.Tests;

/// <summary>
/// AuthPlatform.AspNetCore ships to other teams' services: it talks to the server over HTTP only
/// and must not drag the server's layers (and their EF Core, Mediator ...) into them.
/// </summary>
public sealed class MiddlewareDependencyTests
{
    private static readonly string[] ServerLayers = ["AuthPlatform.Domain", "AuthPlatform.Application", "AuthPlatform.Infrastructure", "AuthPlatform.WebApi"];

    [Theory]
    [InlineData("AuthPlatform.Domain")]
    [InlineData("AuthPlatform.Application")]
    [InlineData("AuthPlatform.Infrastructure")]
    [InlineData("AuthPlatform.WebApi")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Mediator")]
    public void Middleware_Always_DoesNotDependOn(string forbidden)
    {
        var result = Layers.NoDependencyOn(Layers.Middleware, forbidden).GetResult();

        Layers.AssertSuccessful(result, $"AuthPlatform.AspNetCore must not depend on {forbidden}");
    }

    [Fact]
    public void Middleware_Always_ReferencesNoServerAssembly()
    {
        Assert.Equal("AuthPlatform.AspNetCore", Layers.Middleware.GetName().Name);
        Assert.Empty(ServerAssembliesReferencedBy(Layers.Middleware));
    }

    /// <summary>The SDK (AuthPlatform.Client) ships to other teams too: HTTP only, no server layer.</summary>
    [Fact]
    public void Client_Always_ReferencesNoServerAssembly()
    {
        var client = typeof(AuthPlatform.Client.AuthPlatformClient).Assembly;
        Assert.Equal("AuthPlatform.Client", client.GetName().Name);
        Assert.Empty(ServerAssembliesReferencedBy(client));
    }

    [Fact]
    public void ReferenceCheck_OnWebApi_FindsTheServerLayers()
    {
        Assert.Contains("AuthPlatform.Application", ServerAssembliesReferencedBy(Layers.WebApi));
    }

    private static List<string> ServerAssembliesReferencedBy(System.Reflection.Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(ServerLayers.Contains).ToList();
}
