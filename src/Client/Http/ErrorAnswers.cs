using System.Text.Json;

namespace AuthPlatform.Client.Http;

/// <summary>
/// Turns every 4xx and 5xx answer into an <see cref="AuthPlatformException"/> before the generated client reads it:
/// RFC 9457 problems (<c>code</c>, <c>detail</c>) and RFC 6749 errors (<c>error</c>, <c>error_description</c>) alike,
/// with <c>Retry-After</c>. One exception type for the generated and the hand-written calls.
/// </summary>
internal sealed class ErrorAnswers(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode < 400)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The exception an error answer stands for.</summary>
    public static async Task<AuthPlatformException> ToExceptionAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter(response);
        var answer = await ReadAsync(response, ct).ConfigureAwait(false);
        if (answer.Error is { } error)
        {
            return new AuthPlatformOAuthException(status, error, answer.Detail, retryAfter);
        }

        var what = answer.Code ?? response.ReasonPhrase ?? "error";
        var message = $"{request(response)} answered {status} {what}{(answer.Detail is null ? "" : ": " + answer.Detail)}";
        return new AuthPlatformException(message, status, answer.Code, answer.Detail, retryAfter);

        static string request(HttpResponseMessage r) => r.RequestMessage is { } m ? $"{m.Method} {m.RequestUri?.AbsolutePath}" : "The server";
    }

    /// <summary>The <c>code</c> and <c>detail</c> of a problem, or the <c>error</c> and <c>error_description</c> of an OAuth error.</summary>
    public static async Task<(string? Code, string? Detail, string? Error)> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType is not { } type || !type.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null, null);
        }

        await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            var root = json.RootElement;
            if (Text(root, "error") is { } error && !type.Contains("problem", StringComparison.OrdinalIgnoreCase))
            {
                return (error, Text(root, "error_description"), error);
            }

            return (Text(root, "code"), Text(root, "detail"), null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }

        static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
