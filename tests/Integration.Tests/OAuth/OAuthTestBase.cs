using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>Helpers shared by the service-account and token-endpoint tests.</summary>
public abstract class OAuthTestBase<TFixture>(TFixture fixture) : ApiTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    protected const string Accounts = "/api/v1/service-accounts";
    protected const string TokenUrl = "/oauth/token";

    /// <summary>A new user's session and a service account of theirs (the create answer, with its secret).</summary>
    protected async Task<(JsonObject Session, JsonObject Account)> NewServiceAccountAsync(string[]? scopes = null, object? body = null)
    {
        var (_, session) = await NewSessionAsync();
        var response = await PostJsonAsync(Accounts, body ?? new { name = "billing sync", description = "nightly job", scopes = scopes ?? ["profile", "api_keys:read"] }, Str(session, "token"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (session, await ReadObjectAsync(response));
    }

    protected static string BasicValue(string clientId, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));

    /// <summary>POSTs a form to the token endpoint, with HTTP Basic when <paramref name="basic"/> is given.</summary>
    protected async Task<HttpResponseMessage> TokenAsync(IEnumerable<KeyValuePair<string, string>> form, (string Id, string Secret)? basic = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new FormUrlEncodedContent(form) };
        if (basic is { } b)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicValue(b.Id, b.Secret));
        }

        return await (client ?? Client).SendAsync(request);
    }

    protected static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    protected Task<HttpResponseMessage> ClientCredentialsAsync(JsonObject account, string? scope = null, bool post = false)
    {
        var form = new List<KeyValuePair<string, string>> { P("grant_type", "client_credentials") };
        if (scope is not null)
        {
            form.Add(P("scope", scope));
        }

        if (post)
        {
            form.Add(P("client_id", Str(account, "client_id")));
            form.Add(P("client_secret", Str(account, "client_secret")));
            return TokenAsync(form);
        }

        return TokenAsync(form, (Str(account, "client_id"), Str(account, "client_secret")));
    }

    /// <summary>Asserts an RFC 6749 error answer (JSON, no-store) and returns it.</summary>
    protected static async Task<JsonObject> AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {error}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(error, (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["error_description"]));
        AssertNoStore(response);
        return body;
    }

    protected static void AssertNoStore(HttpResponseMessage response)
    {
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("no-cache", response.Headers.Pragma.ToString(), StringComparison.Ordinal);
    }
}
