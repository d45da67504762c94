using NetArchTest.Rules;

namespace AuthPlatform.Architecture.Tests;

public sealed class LayerDependencyTests
{
    [Fact]
    public void Assemblies_Always_HaveTheExpectedNames()
    {
        Assert.Equal("AuthPlatform.Domain", Layers.Domain.GetName().Name);
        Assert.Equal("AuthPlatform.Application", Layers.Application.GetName().Name);
        Assert.Equal("AuthPlatform.Infrastructure", Layers.Infrastructure.GetName().Name);
        Assert.Equal("AuthPlatform.WebApi", Layers.WebApi.GetName().Name);
    }

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Mediator")]
    [InlineData("FluentValidation")]
    [InlineData("AuthPlatform.Application")]
    [InlineData("AuthPlatform.Infrastructure")]
    [InlineData("AuthPlatform.WebApi")]
    public void Domain_Always_DoesNotDependOn(string forbidden)
    {
        var result = Layers.NoDependencyOn(Layers.Domain, forbidden).GetResult();

        Layers.AssertSuccessful(result, $"Domain must not depend on {forbidden}");
    }

    [Theory]
    [InlineData("AuthPlatform.Infrastructure")]
    [InlineData("AuthPlatform.WebApi")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.AspNetCore")]
    public void Application_Always_DoesNotDependOn(string forbidden)
    {
        var result = Layers.NoDependencyOn(Layers.Application, forbidden).GetResult();

        Layers.AssertSuccessful(result, $"Application must not depend on {forbidden}");
    }

    [Fact]
    public void Infrastructure_Always_DoesNotDependOnWebApi()
    {
        var result = Layers.NoDependencyOn(Layers.Infrastructure, "AuthPlatform.WebApi").GetResult();

        Layers.AssertSuccessful(result, "Infrastructure must not depend on AuthPlatform.WebApi");
    }

    [Fact]
    public void Controllers_Always_DoNotDependOnInfrastructureOrEntityFramework()
    {
        var controllers = Types.InAssembly(Layers.WebApi).That().AreClasses().And().HaveNameEndingWith("Controller");
        Assert.True(controllers.GetTypes().Count() >= 4, "The controller selection found fewer controllers than the WebApi has.");

        var result = controllers.ShouldNot().HaveDependencyOnAny("AuthPlatform.Infrastructure", "Microsoft.EntityFrameworkCore").GetResult();

        Layers.AssertSuccessful(result, "Controllers must go through the mediator, not Infrastructure or EF Core");
    }

    // The rules above pass only if NetArchTest really sees dependencies. These controls prove it
    // does, on references that exist on purpose; if one fails, the rules above prove nothing.

    [Fact]
    public void DependencyCheck_OnInfrastructure_DetectsEntityFrameworkCore()
    {
        var result = Layers.NoDependencyOn(Layers.Infrastructure, "Microsoft.EntityFrameworkCore").GetResult();

        Assert.False(result.IsSuccessful);
        Assert.Contains("AuthPlatform.Infrastructure.Persistence.UnitOfWork", result.FailingTypeNames);
    }

    [Fact]
    public void DependencyCheck_OnApplication_DetectsMediatorAndDomain()
    {
        Assert.False(Layers.NoDependencyOn(Layers.Application, "Mediator").GetResult().IsSuccessful);
        Assert.False(Layers.NoDependencyOn(Layers.Application, "AuthPlatform.Domain").GetResult().IsSuccessful);
    }

    [Fact]
    public void DependencyCheck_OnWebApi_DetectsInfrastructureOutsideControllers()
    {
        var result = Layers.NoDependencyOn(Layers.WebApi, "AuthPlatform.Infrastructure").GetResult();

        Assert.False(result.IsSuccessful);
        Assert.DoesNotContain(result.FailingTypeNames, n => n.EndsWith("Controller", StringComparison.Ordinal));
    }

    [Fact]
    public void DependencyCheck_OnControllerUsingEfInsideAsyncAction_DetectsIt()
    {
        // A controller whose only EF use sits in an async method's state machine must still fail.
        var result = Types.InAssembly(typeof(LayerDependencyTests).Assembly)
            .That().AreClasses().And().HaveNameEndingWith("Controller")
            .ShouldNot().HaveDependencyOnAny("AuthPlatform.Infrastructure", "Microsoft.EntityFrameworkCore")
            .GetResult();

        Assert.False(result.IsSuccessful);
        Assert.Contains(typeof(Fixtures.LeakyController).FullName, result.FailingTypeNames);
    }
}
