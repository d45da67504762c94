using System.Reflection;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Signing;
using AuthPlatform.Domain.Users;
using Mediator;

namespace AuthPlatform.Architecture.Tests;

/// <summary>
/// A newcomer finds a use case from its name in one step: the handler of <c>RotateApiKeyCommand</c>
/// lives in <c>src/Application/ApiKeys/RotateApiKey/RotateApiKey.cs</c>, namespace
/// <c>AuthPlatform.Application.ApiKeys.RotateApiKey</c>, beside its message.
/// </summary>
public sealed class UseCaseLayoutTests
{
    private static readonly Type[] HandlerInterfaces =
        [typeof(ICommandHandler<>), typeof(ICommandHandler<,>), typeof(IQueryHandler<,>)];

    public static TheoryData<Type> Handlers()
    {
        var data = new TheoryData<Type>();
        foreach (var handler in Layers.Application.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && MessageOf(t) is not null))
        {
            data.Add(handler);
        }

        return data;
    }

    [Fact]
    public void Handlers_Discovery_FindsTheUseCases()
    {
        var count = Layers.Application.GetTypes().Count(t => t is { IsClass: true, IsAbstract: false } && MessageOf(t) is not null);

        Assert.True(count >= 25, $"Only {count} handlers found; the discovery is broken.");
    }

    [Theory]
    [MemberData(nameof(Handlers))]
    public void Handler_Always_LivesInTheFolderAndNamespaceOfItsMessage(Type handler)
    {
        Assert.Null(LayoutProblem(handler, RepositoryRoot()));
    }

    [Fact]
    public void LayoutCheck_OnHandlerOutsideItsUseCaseNamespace_ReportsIt()
    {
        // Control: the check sees a handler whose namespace does not name its use case.
        var problem = LayoutProblem(typeof(Fixtures.Misplaced.PingHandler), RepositoryRoot());

        Assert.NotNull(problem);
        Assert.Contains("namespace", problem, StringComparison.Ordinal);
    }

    private static List<Type> AggregateTypes()
    {
        var roots = Layers.Domain.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(AggregateRoot).IsAssignableFrom(t));
        Type[] others = [typeof(RefreshToken), typeof(RecoveryCode), typeof(SigningKey), typeof(AuditEvent), typeof(Domain.OAuth.OAuthClientSecret)];
        return roots.Concat(others).Distinct().ToList();
    }

    public static TheoryData<Type> Aggregates()
    {
        var data = new TheoryData<Type>();
        foreach (var type in AggregateTypes())
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Aggregates_Discovery_FindsEveryRoot()
    {
        var names = AggregateTypes().Select(t => t.Name).ToList();

        Assert.Contains("User", names);
        Assert.Contains("ApiKey", names);
        Assert.Contains("RefreshTokenFamily", names);
    }

    [Theory]
    [MemberData(nameof(Aggregates))]
    public void Aggregate_Always_HasPrivateSettersAndNoPublicConstructor(Type aggregate)
    {
        var setters = aggregate.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Where(p => p.SetMethod is { IsPrivate: false }).Select(p => p.Name).ToList();
        var constructors = aggregate.GetConstructors(BindingFlags.Public | BindingFlags.Instance);

        Assert.True(setters.Count == 0, $"{aggregate.Name} has non-private setters: {string.Join(", ", setters)}");
        Assert.Empty(constructors);
    }

    [Fact]
    public void SourceFiles_OverAbout150Lines_SayWhyAtTheirTop()
    {
        var root = RepositoryRoot();
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"Client{Path.DirectorySeparatorChar}Generated{Path.DirectorySeparatorChar}", StringComparison.Ordinal) // Kiota's, like migrations: never edited
                && !f.Contains($"{Path.DirectorySeparatorChar}CompiledModels{Path.DirectorySeparatorChar}", StringComparison.Ordinal) // `dotnet ef dbcontext optimize`'s, regenerated, never edited
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadLines(f).Count() > 150 && !File.ReadLines(f).First().StartsWith("// Longer than 150 lines because", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();

        Assert.True(offenders.Count == 0, $"Files over 150 lines without a reason at the top: {string.Join(", ", offenders)}");
    }

    /// <summary>Null when the handler, its message and its file are where the use case's name says; else what is wrong.</summary>
    internal static string? LayoutProblem(Type handler, string repositoryRoot)
    {
        var message = MessageOf(handler)!;
        var suffix = message.Name.EndsWith("Command", StringComparison.Ordinal) ? "Command"
            : message.Name.EndsWith("Query", StringComparison.Ordinal) ? "Query" : null;
        if (suffix is null)
        {
            return $"{message.Name} must end in Command or Query.";
        }

        var useCase = message.Name[..^suffix.Length];
        var ns = handler.Namespace ?? string.Empty;
        if (!ns.EndsWith("." + useCase, StringComparison.Ordinal) || message.Namespace != ns)
        {
            return $"{handler.Name} and {message.Name} must share the namespace '…{useCase}' (found {ns} and {message.Namespace}).";
        }

        var segments = ns.Split('.').SkipWhile(s => s != "Application").Skip(1).ToArray();
        var file = Path.Combine([repositoryRoot, "src", "Application", .. segments, useCase + ".cs"]);
        if (!File.Exists(file) || !File.ReadAllText(file).Contains($"record {message.Name}", StringComparison.Ordinal))
        {
            return $"{message.Name} must be declared in {Path.GetRelativePath(repositoryRoot, file)}.";
        }

        return null;
    }

    private static Type? MessageOf(Type handler) =>
        handler.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && HandlerInterfaces.Contains(i.GetGenericTypeDefinition()))?
            .GetGenericArguments()[0];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AuthPlatform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AuthPlatform.sln not found above the test assembly.");
    }
}
