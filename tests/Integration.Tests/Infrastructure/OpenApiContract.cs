// Longer than 150 lines because the document checker and the handler that applies it to every test client are one piece.
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace AuthPlatform.Integration.Tests.Infrastructure;

/// <summary>
/// The committed OpenAPI document (docs/openapi/v1.json) as a checker of answers: the operation of a
/// request (method and path template), the answer's status among that operation's documented ones,
/// its content type among those documented for the status, its body against the schema, and the
/// headers the document marks required. Parsed once; each schema compiled once, when first needed.
/// </summary>
public sealed partial class OpenApiContract
{
    /// <summary>Not in the document: the metrics scrape (its path and host are settings), the document itself and its viewer, the dashboard's files.</summary>
    private static readonly string[] OutsideTheDocument = ["/metrics", "/openapi/", "/scalar", "/app/"];

    private static readonly string[] DashboardPages = ["/", "/index.html"];

    private static readonly Lazy<OpenApiContract> Committed = new(() => new OpenApiContract(File.ReadAllText(DocumentPath)));

    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly List<(string Template, Regex Pattern, JsonObject Path)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public OpenApiContract(string documentJson)
    {
        // The components' schemas become the $defs of every compiled schema (JSON Schema 2020-12).
        _document = JsonNode.Parse(documentJson.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal))!.AsObject();
        _definitions = _document["components"]?["schemas"]?.AsObject() ?? [];
        _paths = _document["paths"]!.AsObject()
            .Select(p => (p.Key, new Regex("^" + Parameter().Replace(Regex.Escape(p.Key).Replace("\\{", "{"), "[^/]+") + "$"), p.Value!.AsObject()))
            .OrderBy(p => p.Key.Count(c => c == '{')) // a literal segment wins over a parameter
            .ToList();
    }

    public static OpenApiContract Document => Committed.Value;

    public static string DocumentPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "docs", "openapi", "v1.json");
                if (File.Exists(Path.Combine(dir.FullName, "AuthPlatform.sln")) && File.Exists(path))
                {
                    return path;
                }
            }

            throw new FileNotFoundException("docs/openapi/v1.json not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Every violation of the document by this answer (empty: it conforms).</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, HttpResponseHeaders headers, HttpContentHeaders? contentHeaders, byte[] body)
    {
        if (OutsideTheDocument.Any(p => path.StartsWith(p, StringComparison.Ordinal)) || DashboardPages.Contains(path) || method == "OPTIONS")
        {
            return [];
        }

        if (status is 307 or 308 && headers.Location is { Scheme: "https" })
        {
            return []; // the server-wide redirect of plain HTTP outside Development (HttpSecurity), before any operation
        }

        var media = contentHeaders?.ContentType?.MediaType;
        var operation = _paths.Where(p => p.Pattern.IsMatch(path)).Select(p => (p.Template, Operation: p.Path[method.ToLowerInvariant()]?.AsObject()))
            .FirstOrDefault(p => p.Operation is not null);
        if (operation.Operation is null)
        {
            // No operation answers: the server-wide 404 not_found / 405 method_not_allowed problem.
            if (status is 404 or 405 && media == "application/problem+json")
            {
                return Validate($"problem", new JsonObject { ["$ref"] = "#/$defs/ProblemDetailsResponse" }, body, $"{method} {path} ({status})");
            }

            return [$"{method} {path} answered {status}, but the document has no such operation"];
        }

        var where = $"{operation.Operation["operationId"]} ({method} {operation.Template}) {status}";
        var response = operation.Operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.AsObject();
        if (response is null)
        {
            return [$"{where}: status {status} is not documented (documented: {string.Join(", ", operation.Operation["responses"]!.AsObject().Select(r => r.Key))}); body: {Clip(body)}"];
        }

        var errors = new List<string>();
        foreach (var (name, header) in response["headers"]?.AsObject() ?? [])
        {
            if ((bool?)header?["required"] == true && !headers.Contains(name))
            {
                errors.Add($"{where}: the required header {name} is missing");
            }
        }

        var content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            if (content is { Count: > 0 } && method != "HEAD")
            {
                errors.Add($"{where}: the body is empty, the document says {string.Join(" or ", content.Select(c => c.Key))}");
            }

            return errors;
        }

        if (content is null || content.Count == 0)
        {
            errors.Add($"{where}: the document says no content, the answer has {body.Length} bytes of {media}: {Clip(body)}");
            return errors;
        }

        if (media is null || content[media] is not JsonObject mediaType)
        {
            errors.Add($"{where}: content type {media} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})");
            return errors;
        }

        if (media.EndsWith("json", StringComparison.Ordinal) && mediaType["schema"] is JsonObject schema)
        {
            errors.AddRange(Validate($"{operation.Template} {method} {status} {media}", schema, body, where));
        }

        return errors;
    }

    private List<string> Validate(string key, JsonObject schema, byte[] body, string where)
    {
        var compiled = _schemas.GetOrAdd(key, _ =>
        {
            var root = schema.DeepClone().AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _definitions.DeepClone();
            return JsonSchema.FromText(root.ToJsonString());
        });

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return [$"{where}: the body is not JSON ({e.Message}): {Clip(body)}"];
        }

        var result = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var details = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .Take(8);
        return [$"{where}: the body does not match the document's schema: {string.Join("; ", details)}; body: {Clip(body)}"];
    }

    private static string Clip(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length <= 400 ? text : text[..400] + "…";
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}

/// <summary>
/// In every test client (<see cref="AuthApiFactory.CreateClient()"/>): each answer the server gives
/// is checked against the committed OpenAPI document as it arrives, and a violation fails the
/// request, so the test that caused it fails, naming the operation, the status and the mismatch.
/// The innermost handler: it sees each answer of a redirect chain, before cookies are taken.
/// </summary>
public sealed class OpenApiContractHandler(OpenApiContract contract) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var violations = contract.Check(
            request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Headers, response.Content.Headers, body);
        if (violations.Count > 0)
        {
            throw new OpenApiContractException(string.Join(Environment.NewLine, violations));
        }

        return response;
    }
}

public sealed class OpenApiContractException(string message)
    : Exception("The answer does not match docs/openapi/v1.json (the contract, docs/adr/0016): " + message);
