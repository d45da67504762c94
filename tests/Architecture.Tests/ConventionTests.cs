using System.Reflection;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Signing;
using AuthPlatform.Domain.Users;
using Mediator;
using NetArchTest.Rules;

namespace AuthPlatform.Architecture.Tests;

public sealed class ConventionTests
{
    private static readonly Type[] HandlerInterfaces =
        [typeof(ICommandHandler<>), typeof(ICommandHandler<,>), typeof(IQueryHandler<,>)];

    private static bool IsHandler(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && HandlerInterfaces.Contains(i.GetGenericTypeDefinition()));

    private static PredicateList HandlerSelection() =>
        Types.InAssembly(Layers.Application)
            .That().AreClasses().And().AreNotAbstract().And().ImplementInterface(typeof(ICommandHandler<,>))
            .Or().AreClasses().And().AreNotAbstract().And().ImplementInterface(typeof(ICommandHandler<>))
            .Or().AreClasses().And().AreNotAbstract().And().ImplementInterface(typeof(IQueryHandler<,>));

    private static IReadOnlyList<Type> ConcreteHandlers() =>
        Layers.Application.GetTypes().Where(t => t.IsClass && !t.IsAbstract && IsHandler(t)).ToList();

    [Fact]
    public void Handlers_Concrete_AreSealed()
    {
        var handlers = ConcreteHandlers();
        Assert.True(handlers.Count >= 10, $"Only {handlers.Count} handlers found; the selection is broken.");
        var names = handlers.Select(t => t.FullName!).ToArray();

        var selected = HandlerSelection().GetTypes().Select(t => t.FullName!).ToArray();
        var result = HandlerSelection().Should().BeSealed().GetResult();

        Assert.Equal(names.Order(StringComparer.Ordinal), selected.Order(StringComparer.Ordinal));
        Layers.AssertSuccessful(result, "Every command and query handler must be sealed");
    }

    [Fact]
    public void Handlers_Reflection_AgreeThatAllAreSealed()
    {
        var unsealed = ConcreteHandlers().Where(t => !t.IsSealed).Select(t => t.FullName).ToList();

        Assert.True(unsealed.Count == 0, $"Unsealed handlers: {string.Join(", ", unsealed)}");
    }

    public static TheoryData<Type> Aggregates() =>
        [typeof(User), typeof(RefreshTokenFamily), typeof(RefreshToken), typeof(SigningKey), typeof(AuditEvent)];

    [Theory]
    [MemberData(nameof(Aggregates))]
    public void Aggregates_Always_HaveNoPublicSetters(Type aggregate)
    {
        var offenders = PublicSetters(aggregate);

        Assert.True(offenders.Count == 0, $"{aggregate.Name} has public setters: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void PublicSetterCheck_OnOptionsClass_FindsItsSetters()
    {
        // Control: the check does see public setters (options classes have them on purpose).
        var offenders = PublicSetters(typeof(AuthPlatform.Application.Common.Options.JwtOptions));

        Assert.Contains("JwtOptions.Issuer", offenders);
    }

    [Fact]
    public void PublicSetterCheck_OnInitOnlyProperty_FindsIt()
    {
        Assert.Equal(["InitOnly.Value"], PublicSetters(typeof(InitOnly)));
    }

    [Fact]
    public void Aggregates_Always_ExposeNoPublicConstructor()
    {
        var types = new[] { typeof(User), typeof(RefreshTokenFamily), typeof(RefreshToken), typeof(SigningKey), typeof(AuditEvent) };

        var offenders = types.Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Length > 0).Select(t => t.Name).ToList();

        Assert.True(offenders.Count == 0, $"Aggregates must be created by their factory methods: {string.Join(", ", offenders)}");
    }

    private static List<string> PublicSetters(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => $"{type.Name}.{p.Name}")
            .ToList();

    private sealed class InitOnly
    {
        public int Value { get; init; }

        public int ReadOnly => Value;
    }
}
