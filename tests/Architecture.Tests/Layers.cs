using System.Reflection;
using NetArchTest.Rules;

namespace AuthPlatform.Architecture.Tests;

/// <summary>The project's assemblies, and a helper that turns a NetArchTest result into an assertion naming the offenders.</summary>
internal static class Layers
{
    public static readonly Assembly Domain = typeof(AuthPlatform.Domain.Users.User).Assembly;
    public static readonly Assembly Application = typeof(AuthPlatform.Application.DependencyInjection).Assembly;
    public static readonly Assembly Infrastructure = typeof(AuthPlatform.Infrastructure.DependencyInjection).Assembly;
    public static readonly Assembly WebApi = typeof(AuthPlatform.WebApi.Controllers.AuthController).Assembly;

    /// <summary>AuthPlatform.AspNetCore: the resource servers' middleware, a client of the server over HTTP.</summary>
    public static readonly Assembly Middleware = typeof(AuthPlatform.AspNetCore.AuthPlatformOptions).Assembly;

    public static void AssertSuccessful(TestResult result, string rule)
    {
        var offenders = result.FailingTypeNames ?? [];
        Assert.True(result.IsSuccessful, $"{rule}. Offending types: {string.Join(", ", offenders)}");
    }

    public static ConditionList NoDependencyOn(Assembly assembly, params string[] forbidden) =>
        Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden);
}
