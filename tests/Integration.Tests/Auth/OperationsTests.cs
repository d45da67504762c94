using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.Auth;

/// <summary>SPEC section 8: health checks, the OpenAPI document, and logs that user input cannot forge (LOG-03).</summary>
public abstract class OperationsTests<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private const string Forged = "FAKE LOG LINE";

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WhenDatabaseReachable_Returns200Healthy(string path)
    {
        var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_Document_IsValidJsonListingEveryPath()
    {
        var document = await GetOpenApiAsync();

        Assert.StartsWith("3.", (string?)document["openapi"]);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout",
            "/api/v1/auth/me", "/api/v1/auth/verify", "/api/v1/auth/sessions", "/api/v1/auth/sessions/{id}",
            "/api/v1/auth/password", "/api/v1/admin/signing-keys/rotate", "/.well-known/jwks.json",
        ];
        var missing = expected.Where(p => !paths.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"Missing paths: {string.Join(", ", missing)}; present: {string.Join(", ", paths)}");
    }

    [Theory]
    [InlineData("/api/v1/auth/register", "post", "201,400,409,429")]
    [InlineData("/api/v1/auth/login", "post", "200,400,401,423,429")]
    [InlineData("/api/v1/auth/refresh", "post", "200,400,401")]
    [InlineData("/api/v1/auth/me", "get", "200,401,403")]
    [InlineData("/api/v1/auth/verify", "get", "200,401")]
    [InlineData("/api/v1/auth/sessions/{id}", "delete", "204,401,403,404")]
    [InlineData("/api/v1/auth/password", "post", "204,400,401,403")]
    [InlineData("/api/v1/admin/signing-keys/rotate", "post", "201,401,403")]
    public async Task OpenApi_Operation_DescribesItsAnswersAndProblemErrors(string path, string method, string statuses)
    {
        var document = await GetOpenApiAsync();

        var operation = document["paths"]?[path]?[method];
        Assert.NotNull(operation);
        var responses = operation["responses"]!.AsObject();
        foreach (var status in statuses.Split(','))
        {
            Assert.True(responses.ContainsKey(status), $"{method.ToUpperInvariant()} {path} does not describe {status}; it has {string.Join(", ", responses.Select(r => r.Key))}");
            if (status[0] == '4')
            {
                Assert.NotNull(responses[status]?["content"]?["application/problem+json"]);
            }
        }
    }

    [Fact]
    public async Task Login_WithLineBreaksInEmail_ForgesNoLogLineAndLeaksNoStackTrace()
    {
        var email = $"victim@example.com\r\n{Forged} admin logged in\nInformation AuthPlatform: {Forged}";
        var logsBefore = Factory.Logs.Lines.Count;

        var responses = new List<HttpResponseMessage>
        {
            await PostJsonAsync("/api/v1/auth/login", new { email, password = "wrong password\r\n" + Forged }),
            await PostJsonAsync("/api/v1/auth/login", new { email = AuthApiFactory.AdminEmail, password = "x\r\n" + Forged }),
            await PostJsonAsync("/api/v1/auth/register", new { email, password = Password, name = "Mallory" }),
            await PostJsonAsync("/api/v1/auth/register", new { email = NewEmail(), password = Password, name = "Mallory\r\n" + Forged }),
            await PostJsonAsync("/api/v1/auth/refresh", new { refresh_token = "x\r\n" + Forged }),
            await PostRawAsync("/api/v1/auth/login", "{\"email\":\"a\r\n" + Forged + "\"}"),
        };

        Assert.True(Factory.Logs.Lines.Count > logsBefore, "The attempts were not logged at all, so the test proves nothing.");
        var lines = Factory.Logs.Lines.SelectMany(entry => entry.Split('\n')).Select(line => line.TrimStart('\r'));
        Assert.DoesNotContain(lines, line => line.StartsWith(Forged, StringComparison.Ordinal) || line.Contains("\r" + Forged, StringComparison.Ordinal));
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Forged, text, StringComparison.Ordinal);
        }
    }

    private async Task<JsonObject> GetOpenApiAsync()
    {
        var response = await GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using (JsonDocument.Parse(text))
        {
            // Valid JSON, or this throws.
        }

        return JsonNode.Parse(text)!.AsObject();
    }
}

public sealed class OperationsTestsOnSqlite(SqliteApiFixture fixture) : OperationsTests<SqliteApiFixture>(fixture);

public sealed class OperationsTestsOnPostgres(PostgresApiFixture fixture) : OperationsTests<PostgresApiFixture>(fixture);
