using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OpenApi;

/// <summary>
/// The OpenAPI document is the contract (ADR 0016): the served document is the committed one, it
/// describes every operation with a summary, a description, a tag and its security, and the
/// contract handler every test client carries rejects an answer the document does not allow.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteApiFixture fixture) : ApiTestBase<SqliteApiFixture>(fixture)
{
    [Fact]
    public async Task ServedDocument_IsTheCommittedCopy()
    {
        var served = await Client.GetStringAsync("/openapi/v1.json");
        var committed = await File.ReadAllTextAsync(OpenApiContract.DocumentPath);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(committed)),
            "The served /openapi/v1.json differs from docs/openapi/v1.json: build src/WebApi (it regenerates the file) and commit it.");
    }

    [Fact]
    public async Task EveryOperation_HasSummaryDescriptionTagAndSecurity()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(OpenApiContract.DocumentPath))!;
        var tags = document["tags"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (string?)t!["description"]);
        Assert.All(tags, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"tag {t.Key} has no description"));
        var missing = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var id = $"{method.ToUpperInvariant()} {path}";
                if (string.IsNullOrWhiteSpace((string?)operation!["summary"])) missing.Add(id + ": summary");
                if (string.IsNullOrWhiteSpace((string?)operation["description"])) missing.Add(id + ": description");
                if (operation["security"] is null) missing.Add(id + ": security");
                if (operation["tags"]?.AsArray().Any(t => tags.ContainsKey((string)t!)) != true) missing.Add(id + ": a described tag");
                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    if (status == "204" && response!["content"] is not null) missing.Add(id + ": 204 with content");
                    if (status == "429" && response!["headers"]?["Retry-After"] is null) missing.Add(id + ": 429 without Retry-After");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void Document_UsesTheWireNames()
    {
        var text = File.ReadAllText(OpenApiContract.DocumentPath);
        var document = JsonNode.Parse(text)!;
        var session = document["components"]!["schemas"]!["SessionAnswer"]!["properties"]!.AsObject();
        Assert.Contains("refresh_token", session.Select(p => p.Key));
        Assert.Contains("expires_in", session.Select(p => p.Key));
        Assert.DoesNotContain("\"refreshToken\"", text);
        Assert.DoesNotContain("\"traceId\"", text);
    }

    [Fact]
    public void Login_AnswersOneObject_WithTheSessionsAndTheChallengesFields()
    {
        var document = JsonNode.Parse(File.ReadAllText(OpenApiContract.DocumentPath))!;
        var schemas = document["components"]!["schemas"]!;
        var login = document["paths"]!["/api/v1/auth/login"]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("#/components/schemas/LoginAnswer", (string?)login["$ref"]);
        var answer = schemas["LoginAnswer"]!;
        var fields = answer["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Superset(schemas["SessionAnswer"]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet(), fields);
        Assert.Superset(new HashSet<string> { "mfa_required", "mfa_token", "expires_in" }, fields);
        Assert.Equal(["expires_in", "mfa_required"], answer["required"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
        Assert.False((bool)answer["additionalProperties"]!);
    }

    [Fact]
    public void Document_HasNoUnionAGeneratorMustTellApart()
    {
        // A oneOf/anyOf of object shapes without a discriminator defeats client generators (Kiota fills neither member):
        // the only unions allowed are "null or X", the document's form of an optional property.
        var unions = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}/{i}");
                }
            }
            else if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    if (key is "oneOf" or "anyOf" && value is JsonArray members
                        && members.Count(m => m?["type"]?.ToJsonString() != "\"null\"") > 1)
                    {
                        unions.Add($"{path}/{key}");
                    }

                    Walk(value, $"{path}/{key}");
                }
            }
        }

        var document = JsonNode.Parse(File.ReadAllText(OpenApiContract.DocumentPath))!;
        Walk(document, "#");
        Assert.Empty(unions);

        // And what generators key on: unique operationIds, a JSON answer offered only as JSON (a generator picks the first type).
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Where: $"{o.Key} {p.Key}", Operation: o.Value!))).ToList();
        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var textJson = operations.SelectMany(o => o.Operation["responses"]!.AsObject()
                .Where(r => r.Value!["content"]?.AsObject() is { } content && content.Any(c => c.Key.Contains("json", StringComparison.Ordinal))
                    && content.Any(c => c.Key is "text/plain" or "text/json"))
                .Select(r => $"{o.Where} {r.Key}"))
            .ToList();
        Assert.Empty(textJson);
    }

    [Fact]
    public async Task ContractHandler_WhenAnAnswerBreaksTheDocument_Throws()
    {
        var contract = OpenApiContract.Document;
        using var wrongShape = new HttpClient(new OpenApiContractHandler(contract) { InnerHandler = new Answer(HttpStatusCode.OK, "application/json", "{\"id\": 42}") })
            { BaseAddress = new Uri("http://localhost") };
        var e = await Assert.ThrowsAsync<OpenApiContractException>(() => wrongShape.GetAsync("/api/v1/auth/me"));
        Assert.Contains("GetMe", e.Message);

        using var undocumentedStatus = new HttpClient(new OpenApiContractHandler(contract) { InnerHandler = new Answer(HttpStatusCode.Conflict, "application/problem+json", "{}") })
            { BaseAddress = new Uri("http://localhost") };
        e = await Assert.ThrowsAsync<OpenApiContractException>(() => undocumentedStatus.GetAsync("/api/v1/auth/me"));
        Assert.Contains("409 is not documented", e.Message);

        using var unknown = new HttpClient(new OpenApiContractHandler(contract) { InnerHandler = new Answer(HttpStatusCode.OK, "application/json", "{}") })
            { BaseAddress = new Uri("http://localhost") };
        e = await Assert.ThrowsAsync<OpenApiContractException>(() => unknown.GetAsync("/api/v1/not-in-the-document"));
        Assert.Contains("no such operation", e.Message);

        using var contentOn204 = new HttpClient(new OpenApiContractHandler(contract) { InnerHandler = new Answer(HttpStatusCode.NoContent, "application/json", "{}") })
            { BaseAddress = new Uri("http://localhost") };
        e = await Assert.ThrowsAsync<OpenApiContractException>(() => contentOn204.DeleteAsync("/api/v1/auth/sessions"));
        Assert.Contains("no content", e.Message);
    }

    [Fact]
    public async Task ContractHandler_AcceptsTheRealAnswers()
    {
        var (_, session) = await NewSessionAsync(); // register 201, login 200: checked by the client's handler
        var me = await GetAsync("/api/v1/auth/me", Str(session, "token"));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var problem = await GetAsync("/api/v1/auth/me", "not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, problem.StatusCode);
    }

    private sealed class Answer(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(mediaType).MediaType!),
            });
    }
}
