using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthPlatform.Integration.Tests.Http;
using AuthPlatform.Integration.Tests.Infrastructure;
using AuthPlatform.WebApi.Http;

namespace AuthPlatform.Integration.Tests.Dashboard;

/// <summary>
/// The web dashboard (SPEC section 9, ADR 0021) as the server serves it: the page at <c>/</c> with the
/// HTML security headers, every file it loads answered with its type, nothing from outside the server,
/// no markup written from strings, and every call it makes an operation of the public OpenAPI document.
/// The behaviour in a browser is proved by tests/browser (Chromium).
/// </summary>
public sealed partial class DashboardTests(SqliteApiFixture fixture) : ApiTestBase<SqliteApiFixture>(fixture)
{
    private static readonly string WebRoot = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(OpenApiContract.DocumentPath)))!, "src", "WebApi", "wwwroot");

    private static IEnumerable<string> Files(string pattern) =>
        Directory.EnumerateFiles(WebRoot, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    [Fact]
    public async Task Root_AnswersTheDashboardPageWithTheHtmlPolicy()
    {
        var response = await GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        SecurityHeadersTests<SqliteApiFixture>.AssertSecurityHeaders(response, SecurityHeaders.HtmlPolicy);
        Assert.True(response.Headers.CacheControl?.NoCache, $"Cache-Control is '{response.Headers.CacheControl}'");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"app/main.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal); // no inline script: the CSP would refuse it
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryFileOfTheDashboard_IsServedWithItsType()
    {
        var types = new Dictionary<string, string> { [".html"] = "text/html", [".js"] = "text/javascript", [".css"] = "text/css", [".svg"] = "image/svg+xml" };
        var files = Files("*").ToList();
        Assert.True(files.Count >= 15, $"only {files.Count} files under {WebRoot}");
        foreach (var file in files)
        {
            var url = "/" + Path.GetRelativePath(WebRoot, file).Replace('\\', '/');
            var response = await GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            Assert.Equal(types[Path.GetExtension(file)], response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public void EveryModuleTheDashboardImports_Exists()
    {
        var imports = Files("*.js")
            .SelectMany(file => Import().Matches(File.ReadAllText(file)).Select(m => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, m.Groups[1].Value))))
            .ToList();
        Assert.True(imports.Count >= 20, $"found only {imports.Count} imports");
        Assert.All(imports, path => Assert.True(File.Exists(path), path + " is imported but missing"));
        var routes = RoutePage().Matches(File.ReadAllText(Path.Combine(WebRoot, "app", "main.js"))).Select(m => m.Groups[1].Value).ToList();
        Assert.True(routes.Count >= 12, $"found only {routes.Count} routes");
        Assert.All(routes, page => Assert.True(File.Exists(Path.Combine(WebRoot, "app", "pages", page + ".js")), $"route page {page}.js is missing"));
    }

    /// <summary>SPEC section 9: nothing is loaded from outside the server; and no string becomes markup.</summary>
    [Fact]
    public void NoFile_ReferencesAnotherOriginOrWritesMarkupFromStrings()
    {
        foreach (var file in Files("*"))
        {
            var text = File.ReadAllText(file);
            var name = Path.GetRelativePath(WebRoot, file);
            var external = ExternalUrl().Matches(text).Select(m => m.Value).Where(url => url != "http://www.w3.org/2000/svg").ToList();
            Assert.True(external.Count == 0, $"{name} references {string.Join(", ", external)}");
            foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage", "sessionStorage" })
            {
                Assert.False(text.Contains(sink, StringComparison.Ordinal), $"{name} uses {sink}");
            }
        }
    }

    /// <summary>The dashboard proves the API is enough for a dashboard: every call it makes is an operation of the document.</summary>
    [Fact]
    public void EveryCallTheDashboardMakes_IsAnOperationOfThePublicDocument()
    {
        var document = JsonNode.Parse(File.ReadAllText(OpenApiContract.DocumentPath))!["paths"]!.AsObject();
        var operations = document
            .SelectMany(p => p.Value!.AsObject().Select(o => (Method: o.Key.ToUpperInvariant(), Pattern: new Regex("^" + Regex.Replace(Regex.Escape(p.Key).Replace("\\{", "{"), "{[^}]+}", "[^/]+") + "$"))))
            .ToList();
        var calls = Files("*.js")
            .SelectMany(file => ApiCall().Matches(File.ReadAllText(file)).Select(m => (Method: m.Groups["method"].Success ? m.Groups["method"].Value : "GET", Path: Interpolation().Replace(m.Groups["path"].Value, "x"), File: Path.GetFileName(file))))
            .ToList();
        Assert.True(calls.Count >= 40, $"found only {calls.Count} calls");
        var unknown = calls.Where(c => !operations.Any(o => o.Method == c.Method && o.Pattern.IsMatch(c.Path))).ToList();
        Assert.True(unknown.Count == 0, "not in docs/openapi/v1.json: " + string.Join(", ", unknown.Select(c => $"{c.Method} {c.Path} ({c.File})")));
    }

    [GeneratedRegex("""(?:from|import\()\s*'(\.{1,2}/[^']+\.js)'""")]
    private static partial Regex Import();

    [GeneratedRegex("""page: '([a-z-]+)'""")]
    private static partial Regex RoutePage();

    [GeneratedRegex("""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s'"`)]*""")]
    private static partial Regex ExternalUrl();

    [GeneratedRegex("""(?:(?:call|send)\('(?<method>GET|POST|PUT|PATCH|DELETE)',\s*|image\(|fetch\()[`'](?<path>/[^`'?]+)""")]
    private static partial Regex ApiCall();

    [GeneratedRegex(@"\$\{[^}]+\}")]
    private static partial Regex Interpolation();
}
